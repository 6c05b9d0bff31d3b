using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Sqlite;

/// <summary>
/// An experiment's stored row with its allocations, as text, but without its definition's text: the length of that text in
/// bytes stands for it, so telling whether a row changed reads no definition (<see cref="ParsedExperiments{TRow}"/>).
/// </summary>
internal sealed record ExperimentRow(
    string Key, string State, string? Winner, long Version, string CreatedAt, string? StageStartedAt, string RolledBack,
    long DefinitionBytes, IReadOnlyList<AllocationRows.Row> Allocations)
{
    /// <summary>True when every column is the same, the allocations included (compared row by row).</summary>
    public bool Equals(ExperimentRow? other) =>
        other is not null
        && Key == other.Key && State == other.State && Winner == other.Winner && Version == other.Version
        && CreatedAt == other.CreatedAt && StageStartedAt == other.StageStartedAt && RolledBack == other.RolledBack
        && DefinitionBytes == other.DefinitionBytes && Allocations.SequenceEqual(other.Allocations);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Version, DefinitionBytes);

    /// <summary>The experiment of this row and its <paramref name="definition"/>; throws when they cannot be read.</summary>
    public Experiment ToExperiment(string definition)
    {
        var parsed = ExperimentDefinitionJson.Parse(definition);
        for (var i = 0; i < Allocations.Count; i++)
        {
            if (Allocations[i].Index != i)
            {
                throw new InvalidDataException($"Experiment '{Key}' lacks allocation {i}; its stored history is damaged.");
            }
        }

        if (Allocations.Count == 0)
        {
            throw new InvalidDataException($"Experiment '{Key}' has no allocation; its stored history is damaged.");
        }

        return new Experiment(
            parsed,
            StorageText.Parse<ExperimentState>(State, "state"),
            [.. Allocations.Select(a => a.ToAllocation(parsed.VariantNames))],
            StorageJson.ReadMap(RolledBack),
            Winner,
            Version,
            StorageText.ParseTimestamp(CreatedAt),
            StageStartedAt is null ? null : StorageText.ParseTimestamp(StageStartedAt));
    }
}
