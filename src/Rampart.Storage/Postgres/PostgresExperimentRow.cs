using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>
/// An experiment's stored row with its allocations, but without its definition's text: the length of that text in bytes
/// stands for it, so telling whether a row changed reads no definition (<see cref="ParsedExperiments{TRow}"/>).
/// </summary>
internal sealed record PostgresExperimentRow(
    string Key, string State, string? Winner, long Version, DateTimeOffset CreatedAt, DateTimeOffset? StageStartedAt, string RolledBack,
    long DefinitionBytes, IReadOnlyList<PostgresAllocationRow> Allocations)
{
    /// <summary>True when every column is the same, the allocations included (compared row by row).</summary>
    public bool Equals(PostgresExperimentRow? other) =>
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
        if (Allocations.Count == 0 || Allocations.Where((a, i) => a.Index != i).Any())
        {
            throw new InvalidDataException($"Experiment '{Key}' lacks allocations; its stored history is damaged.");
        }

        return new Experiment(
            parsed,
            StorageText.Parse<ExperimentState>(State, "state"),
            [.. Allocations.Select(a => a.ToAllocation(parsed.VariantNames))],
            StorageJson.ReadMap(RolledBack),
            Winner,
            Version,
            CreatedAt,
            StageStartedAt);
    }
}
