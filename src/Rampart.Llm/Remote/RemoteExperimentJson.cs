using System.Collections.Immutable;
using System.Text.Json;
using Rampart.Core.Allocation;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Llm.Remote;

/// <summary>
/// Reads an experiment as <c>GET /api/experiments/{key}</c> shows it (docs/api.md): its definition, state and the range
/// table that serves now, which is all local assignment needs (the history of earlier tables stays on the server).
/// </summary>
public static class RemoteExperimentJson
{
    /// <summary>The experiment in <paramref name="root"/>; throws <see cref="FormatException"/> when it is not one.</summary>
    public static Experiment Read(JsonElement root)
    {
        try
        {
            var definition = ExperimentDefinitionJson.Read(root.GetProperty("definition"));
            var allocation = root.GetProperty("allocation");
            var ranges = allocation.GetProperty("ranges").EnumerateArray().Select(r => new BucketRange(
                r.GetProperty("variant").GetString()!, r.GetProperty("start").GetInt32(), r.GetProperty("end").GetInt32(), r.GetProperty("rolled_back").GetBoolean()));
            var current = new StageAllocation(
                allocation.GetProperty("index").GetInt32(),
                allocation.GetProperty("stage").GetInt32(),
                Parse<AllocationKind>(allocation.GetProperty("kind").GetString()),
                AllocationTable.FromRanges(definition.VariantNames, ranges),
                allocation.GetProperty("at").GetDateTimeOffset());
            var rolledBack = root.GetProperty("rolled_back").EnumerateObject()
                .ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            return new Experiment(
                definition,
                Parse<ExperimentState>(root.GetProperty("state").GetString()),
                [current],
                rolledBack,
                root.GetProperty("winner").GetString(),
                root.GetProperty("version").GetInt64(),
                root.GetProperty("created_at").GetDateTimeOffset(),
                root.GetProperty("stage_started_at").ValueKind == JsonValueKind.Null ? null : root.GetProperty("stage_started_at").GetDateTimeOffset());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ExperimentValidationException)
        {
            throw new FormatException($"The server's experiment is not in the expected shape: {e.Message}", e);
        }
    }

    private static TEnum Parse<TEnum>(string? text)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(text?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name}.");
}
