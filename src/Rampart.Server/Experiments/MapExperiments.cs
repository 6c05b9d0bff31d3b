using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Rampart.Core.Access;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Llm.Providers;
using Rampart.Server.Access;
using Rampart.Server.Configuration;
using Rampart.Server.Http;

namespace Rampart.Server.Experiments;

/// <summary>
/// The control plane (docs/api.md): create, list and show experiments; start, pause, advance, roll back, promote and set
/// weights, each one audit entry recorded under the key's name; the audit log. Every change is served at once.
/// </summary>
public static class MapExperiments
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/experiments");
        group.MapPost("", CreateAsync).RequireScope(KeyScope.Admin);
        group.MapGet("", ListAsync).RequireScope(KeyScope.Read, KeyScope.Ingest);
        group.MapGet("/{key}", ShowAsync).RequireScope(KeyScope.Read, KeyScope.Ingest);
        group.MapGet("/{key}/audit", AuditAsync).RequireScope(KeyScope.Read);
        group.MapPost("/{key}/start", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, [], (e, now, who, body) => Rollout.Start(e, now, who, body.Reason)));
        group.MapPost("/{key}/pause", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, [], (e, now, who, body) => Rollout.Pause(e, now, who, body.Reason)));
        group.MapPost("/{key}/advance", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, [], (e, now, who, body) => Rollout.Advance(e, now, who, body.Reason)));
        group.MapPost("/{key}/rollback", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, ["variant"], (e, now, who, body) => Rollout.Rollback(e, body.Variant!, body.Reason!, now, who), reasonRequired: true));
        group.MapPost("/{key}/promote", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, ["variant"], (e, now, who, body) => Rollout.Promote(e, body.Variant!, now, who, body.Reason)));
        group.MapPut("/{key}/stage", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, ["weights"], (e, now, who, body) => Rollout.SetStage(e, body.Weights!, now, who, body.Reason)));
        group.MapPut("/{key}/shadow", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, ["variants", "sample_rate", "max_cost_usd_per_day", "min_duration"],
                (e, now, who, body) => Rollout.SetShadow(e, body.Shadow!.Value.Shadow, now, who, body.Reason, body.Shadow.Value.MinDuration)));
        group.MapPut("/{key}/targeting", (HttpContext c, string key, ExperimentCommands commands) =>
            commands.ApplyAsync(c, key, ["targeting"], (e, now, who, body) => Rollout.SetTargeting(e, body.Targeting, now, who, body.Reason)));
        return app;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, IExperimentStore store, ExperimentSnapshots snapshots, ProviderRegistry providers, TimeProvider time, IOptions<ServerOptions> settings)
    {
        var body = await RequestBody.ReadAsync(context.Request, settings.Value.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return RequestBody.TooLarge(settings.Value.MaxBodyBytes);
        }

        ExperimentDefinition definition;
        try
        {
            definition = ExperimentDefinitionJson.Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body));
        }
        catch (DecoderFallbackException)
        {
            return ApiProblems.Invalid("body", "'body' is not valid UTF-8.");
        }
        catch (ExperimentValidationException e)
        {
            return ApiProblems.Invalid(ExperimentCommands.Problems(e));
        }

        // A variant on a provider this server does not know could only fail every call it serves (and trip the guardrails).
        var unknown = definition.Variants.Where(v => !providers.TryGet(v.Config.Provider, out _)).ToList();
        if (unknown.Count > 0)
        {
            var configured = string.Join(", ", providers.Names.Order(StringComparer.Ordinal).Select(n => $"'{n}'"));
            return ApiProblems.Invalid([.. unknown.Select(v => new FieldProblem($"variants.{v.Name}.provider",
                $"'variants.{v.Name}.provider': '{v.Config.Provider}' is not a configured provider; the configured providers are {configured} (add it under providers in the server's configuration, or name one of those)."))]);
        }

        // Experiments of one layer take disjoint ranges and one holdout (docs/targeting.md): a unit is in at most one of them.
        if ((await store.ListAsync(context.RequestAborted)).LayerConflicts(definition) is [var conflict, ..])
        {
            return ApiProblems.Status(StatusCodes.Status409Conflict, "The layer's range or holdout conflicts with another experiment's.",
                conflict.StartsWith("layer.holdout", StringComparison.Ordinal) ? "layer.holdout" : "layer.range", $"'{conflict[..conflict.IndexOf(' ', StringComparison.Ordinal)]}': {conflict}");
        }

        var experiment = Experiment.CreateDraft(definition, time.GetUtcNow());
        try
        {
            await store.CreateAsync(experiment, Rollout.Created(experiment, AccessMiddleware.Who(context)), context.RequestAborted);
        }
        catch (ExperimentConflictException)
        {
            return ApiProblems.Status(StatusCodes.Status409Conflict, "The experiment exists.", "key",
                $"'key': experiment '{definition.Key}' already exists; choose another key.");
        }

        snapshots.Update(experiment);
        return ServerJson.Result(writer => ExperimentJson.Write(writer, experiment), StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IExperimentStore store, CancellationToken cancellationToken)
    {
        var experiments = (await store.ListAsync(cancellationToken)).Experiments;
        return ServerJson.TaggedResult(context, writer =>
        {
            writer.WriteStartArray();
            foreach (var experiment in experiments)
            {
                ExperimentJson.Write(writer, experiment);
            }

            writer.WriteEndArray();
        });
    }

    private static async Task<IResult> ShowAsync(HttpContext context, string key, IExperimentStore store, ExperimentSnapshots snapshots, CancellationToken cancellationToken)
    {
        var experiment = ExperimentDefinition.IsValidKey(key) ? await store.FindAsync(key, cancellationToken) : null;
        if (experiment is null)
        {
            return ApiProblems.UnknownExperiment("key", key);
        }

        snapshots.Update(experiment);
        return ServerJson.TaggedResult(context, writer => ExperimentJson.Write(writer, experiment));
    }

    private static async Task<IResult> AuditAsync(string key, IExperimentStore store, CancellationToken cancellationToken)
    {
        if (!ExperimentDefinition.IsValidKey(key) || await store.FindAsync(key, cancellationToken) is null)
        {
            return ApiProblems.UnknownExperiment("key", key);
        }

        var audit = await store.AuditAsync(key, cancellationToken);
        return ServerJson.Result(writer =>
        {
            writer.WriteStartArray();
            foreach (var entry in audit)
            {
                ExperimentJson.Write(writer, entry);
            }

            writer.WriteEndArray();
        });
    }
}
