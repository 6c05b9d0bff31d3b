using System.Text.Json;
using Microsoft.Extensions.Options;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Server.Access;
using Rampart.Server.Configuration;
using Rampart.Server.Http;

namespace Rampart.Server.Experiments;

/// <summary>
/// Carries out a rollout command from a request: reads and checks its body, applies the change through
/// <see cref="RolloutCommands"/> (a concurrent change is re-decided, never lost), serves the new state at once and
/// answers with the experiment. Wrong state → 409; unknown experiment → 404; bad field → 400 naming it.
/// </summary>
internal sealed class ExperimentCommands(IExperimentStore store, ExperimentSnapshots snapshots, TimeProvider time, IOptions<ServerOptions> settings)
{
    private readonly RolloutCommands commands = new(store, time);

    public async Task<IResult> ApplyAsync(
        HttpContext context, string key, string[] fields, Func<Experiment, DateTimeOffset, string, CommandBody, RolloutChange> change, bool reasonRequired = false)
    {
        // The snapshot, not the store: only the targeting of a definition changes (through a command, which updates the
        // snapshot), and RolloutCommands reads the current state itself.
        var experiment = (await snapshots.FindAsync(key, context.RequestAborted))?.Experiment;
        if (experiment is null)
        {
            return ApiProblems.UnknownExperiment("key", key);
        }

        var raw = await RequestBody.ReadAsync(context.Request, settings.Value.MaxBodyBytes, context.RequestAborted);
        if (raw is null)
        {
            return RequestBody.TooLarge(settings.Value.MaxBodyBytes);
        }

        var body = BodyFields.Parse(raw, out var problem, out var document, emptyIsObject: fields.Length == 0 && !reasonRequired);
        using (document)
        {
            if (body is null)
            {
                return ApiProblems.Invalid([problem!]);
            }

            body.RejectUnknown([.. fields, "reason"]);
            var variant = fields.Contains("variant") ? body.String("variant", required: true, maxLength: 64) : null;
            var reason = body.String("reason", required: reasonRequired, maxLength: 4096);
            if (reason is not null && string.IsNullOrWhiteSpace(reason))
            {
                body.Problems.Add(new FieldProblem("reason", "'reason' must not be blank."));
            }

            var definition = experiment.Definition;
            if (variant is not null && definition.IndexOf(variant) < 0)
            {
                body.Problems.Add(new FieldProblem("variant", $"'variant': '{variant}' is not a variant of '{key}'; its variants are {string.Join(", ", definition.VariantNames)}."));
            }

            var weights = fields.Contains("weights") ? ReadWeights(body, definition) : null;
            var targeting = fields.Contains("targeting") ? ReadTargeting(body) : null;
            var shadow = fields.Contains("variants") ? ReadShadow(body) : null;
            if (!body.IsValid)
            {
                return ApiProblems.Invalid(body.Problems);
            }

            var command = new CommandBody(variant, reason, weights) { Targeting = targeting, Shadow = shadow };
            var who = AccessMiddleware.Who(context);
            try
            {
                var result = await commands.ApplyAsync(key, (e, now) => change(e, now, who, command), context.RequestAborted);
                snapshots.Update(result.Experiment);
                return ServerJson.Result(writer => ExperimentJson.Write(writer, result.Experiment));
            }
            catch (ExperimentNotFoundException)
            {
                return ApiProblems.UnknownExperiment("key", key);
            }
            catch (ExperimentValidationException e)
            {
                return ApiProblems.Invalid(Problems(e));
            }
            catch (ExperimentConflictException e)
            {
                return ApiProblems.Status(StatusCodes.Status409Conflict, "The experiment kept changing.", "key", $"'key': {e.Message}");
            }
            catch (RolloutException e)
            {
                var field = variant is not null && e.Message.Contains($"'{variant}'", StringComparison.Ordinal) ? "variant" : "state";
                return ApiProblems.Status(StatusCodes.Status409Conflict, "Not possible in the experiment's state.", field, $"'{field}': {e.Message}");
            }
        }
    }

    /// <summary>An <see cref="ExperimentValidationException"/>'s problems, each with the field it begins with.</summary>
    public static List<FieldProblem> Problems(ExperimentValidationException e) =>
        [.. e.Problems.Select(p => FieldOf(p) is var field && p.Contains(field, StringComparison.Ordinal)
            ? new FieldProblem(field, p)
            : new FieldProblem(field, $"'{field}': {p}"))];

    private static string FieldOf(string problem)
    {
        var end = problem.IndexOfAny([' ', ':']);
        var field = end < 0 ? problem : problem[..end];
        return field.Length == 0 || field == "the" ? "body" : field;
    }

    // PUT …/shadow: {variants: [...], sample_rate?, max_cost_usd_per_day?, min_duration?}; Rollout.SetShadow checks the names.
    private static (ShadowStage, TimeSpan?)? ReadShadow(BodyFields body)
    {
        var names = new List<string>();
        if (!body.Root.TryGetProperty("variants", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0
            || list.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            body.Problems.Add(new FieldProblem("variants", "'variants' is required: a non-empty array of the variants to call in shadow."));
        }
        else if (list.GetArrayLength() > Core.Allocation.AllocationTable.MaxVariants)
        {
            // More names than an experiment can have variants cannot be valid; refused before Rollout.SetShadow checks each
            // against the others, which is quadratic and would list a problem per name.
            body.Problems.Add(new FieldProblem("variants", $"'variants' lists {list.GetArrayLength()} names; an experiment has at most {Core.Allocation.AllocationTable.MaxVariants} variants."));
        }
        else
        {
            names.AddRange(list.EnumerateArray().Select(v => v.GetString()!));
        }

        var rate = body.Number("sample_rate", required: false) ?? ShadowStage.DefaultSampleRate;
        var cap = body.Number("max_cost_usd_per_day", required: false);
        TimeSpan? minDuration = null;
        if (body.String("min_duration", required: false, maxLength: 32) is { } text)
        {
            if (DurationText.TryParse(text, out var parsed))
            {
                minDuration = parsed;
            }
            else
            {
                body.Problems.Add(new FieldProblem("min_duration", $"'min_duration': '{text}' is not a duration; write e.g. 30s, 15m, 12h or 7d."));
            }
        }

        return (new ShadowStage([.. names], rate, cap), minDuration);
    }

    // "targeting": a rule (docs/targeting.md) or null for every unit; required, so removing it is said explicitly.
    private static Core.Targeting.TargetingRule? ReadTargeting(BodyFields body)
    {
        if (!body.Root.TryGetProperty("targeting", out var element))
        {
            body.Problems.Add(new FieldProblem("targeting", "'targeting' is required: a rule such as {\"all\": [{\"attribute\": \"plan\", \"in\": [\"pro\"]}]}, or null for every unit."));
            return null;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            return Core.Targeting.TargetingJson.Parse(element.GetRawText());
        }
        catch (ExperimentValidationException e)
        {
            body.Problems.AddRange(Problems(e));
            return null;
        }
    }

    private static System.Collections.Immutable.ImmutableArray<Core.Allocation.Weight>? ReadWeights(BodyFields body, ExperimentDefinition definition)
    {
        if (body.Object("weights", required: true) is not { } weights)
        {
            return null;
        }

        // StageWeights checks names, ranges, two decimals and the sum, naming each field; it reads a=60,b=40 text.
        var parts = new List<string>();
        foreach (var property in weights.EnumerateObject())
        {
            if (!ExperimentDefinition.IsValidVariantName(property.Name))
            {
                body.Problems.Add(new FieldProblem($"weights.{property.Name}",
                    $"'weights.{property.Name}': '{property.Name}' is not a variant; the variants are {string.Join(", ", definition.VariantNames)}."));
                continue;
            }

            // The number as written: StageWeights refuses one a decimal would round (1e-300 is not 0).
            parts.Add($"{property.Name}={(property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetRawText() : "x")}");
        }

        if (!body.IsValid)
        {
            return null;
        }

        try
        {
            return StageWeights.Parse(string.Join(',', parts), definition.VariantNames);
        }
        catch (ExperimentValidationException e)
        {
            body.Problems.AddRange(Problems(e));
            return null;
        }
    }
}
