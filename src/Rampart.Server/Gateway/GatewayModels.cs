using System.Text.Json;
using Rampart.Core.Rollouts;
using Rampart.Server.Experiments;
using Rampart.Server.Http;

namespace Rampart.Server.Gateway;

/// <summary>
/// <c>GET /v1/models</c> in OpenAI's list format, for clients that check a model name before calling: each running
/// experiment as <c>experiment:KEY</c>. Any other <c>/v1/…</c> path answers OpenAI's error envelope, not a bare 404.
/// </summary>
internal static class GatewayModels
{
    private const string Owner = "rampart";

    /// <summary><c>{"object": "list", "data": [model, …]}</c>: the running experiments, by key.</summary>
    public static async Task<IResult> ListAsync(IExperimentStore store, CancellationToken cancellationToken)
    {
        var running = (await store.ListAsync(cancellationToken)).Experiments.Where(e => e.State == ExperimentState.Running).OrderBy(e => e.Key, StringComparer.Ordinal);
        return ServerJson.Result(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var experiment in running)
            {
                Write(writer, experiment);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>One model, <c>experiment:KEY</c> of a running experiment; anything else is a 404 <c>model_not_found</c>.</summary>
    public static async Task<IResult> FindAsync(string model, IExperimentStore store, CancellationToken cancellationToken)
    {
        var key = model.StartsWith(GatewayHeaders.ModelPrefix, StringComparison.Ordinal) ? model[GatewayHeaders.ModelPrefix.Length..] : null;
        var experiment = key is not null && Core.Experiments.ExperimentDefinition.IsValidKey(key) ? await store.FindAsync(key, cancellationToken) : null;
        if (experiment is not { State: ExperimentState.Running })
        {
            var why = experiment is null ? "is not a running experiment" : $"is {ExperimentJson.Name(experiment.State)}, not running";
            return OpenAiErrors.Result(404, $"The model '{model}' {why}; GET /v1/models lists the experiments served as experiment:KEY.",
                "invalid_request_error", "model_not_found", "model");
        }

        return ServerJson.Result(writer => Write(writer, experiment));
    }

    /// <summary>Any other <c>/v1/…</c> request: 405 for a known path with another method, else 404 <c>unknown_url</c>.</summary>
    public static IResult Unknown(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        var allowed = path.TrimEnd('/') switch
        {
            "/v1/chat/completions" => "POST",
            "/v1/models" => "GET",
            _ => null,
        };
        if (allowed is not null)
        {
            context.Response.Headers.Allow = allowed;
            return OpenAiErrors.Result(405, $"{method} {path} is not supported; use {allowed} {path}.", "invalid_request_error", "method_not_allowed");
        }

        return OpenAiErrors.Result(404, $"Invalid URL ({method} {path}): this gateway serves POST /v1/chat/completions and GET /v1/models.",
            "invalid_request_error", "unknown_url");
    }

    private static void Write(Utf8JsonWriter writer, Experiment experiment)
    {
        writer.WriteStartObject();
        writer.WriteString("id", GatewayHeaders.ModelPrefix + experiment.Key);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", experiment.CreatedAt.ToUnixTimeSeconds());
        writer.WriteString("owned_by", Owner);
        writer.WriteEndObject();
    }
}
