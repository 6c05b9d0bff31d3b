using Microsoft.Data.Sqlite;
using Rampart.Core.Allocation;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Sqlite;

/// <summary>
/// The <c>allocations</c> table: an experiment's range-table history, one row per table. The stored ranges are the
/// source of truth: a loaded table is rebuilt from them, never recomputed from the weights.
/// </summary>
internal static class AllocationRows
{
    /// <summary>Inserts the allocations whose index is above the highest stored for the experiment (all of them for a new one).</summary>
    public static async Task InsertNewAsync(
        SqliteConnection connection, SqliteTransaction transaction, Experiment experiment, CancellationToken cancellationToken)
    {
        long stored;
        using (var max = connection.Command("SELECT COALESCE(MAX(idx), -1) FROM allocations WHERE experiment = $experiment;", transaction))
        {
            max.Parameters.AddValue("$experiment", experiment.Key);
            stored = (long)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        using var insert = connection.Command(
            "INSERT INTO allocations (experiment, idx, stage, kind, at, ranges) VALUES ($experiment, $idx, $stage, $kind, $at, $ranges);",
            transaction);
        insert.Parameters.AddValue("$experiment", experiment.Key);
        var index = insert.Parameters.Add("$idx", SqliteType.Integer);
        var stage = insert.Parameters.Add("$stage", SqliteType.Integer);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        var ranges = insert.Parameters.Add("$ranges", SqliteType.Text);
        foreach (var allocation in experiment.Allocations.Where(a => a.Index > stored))
        {
            index.Value = allocation.Index;
            stage.Value = allocation.Stage;
            kind.Value = StorageText.Name(allocation.Kind);
            at.Value = StorageText.Timestamp(allocation.At);
            ranges.Value = StorageJson.WriteRanges(allocation.Table.ToRanges());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stored allocations of <paramref name="key"/> (or of every experiment when null), by experiment, oldest first.</summary>
    public static async Task<Dictionary<string, List<Row>>> ReadAsync(
        SqliteConnection connection, SqliteTransaction transaction, string? key, CancellationToken cancellationToken)
    {
        using var command = connection.Command(
            $"SELECT experiment, idx, stage, kind, at, ranges FROM allocations {(key is null ? "" : "WHERE experiment = $key")} ORDER BY experiment, idx;",
            transaction);
        if (key is not null)
        {
            command.Parameters.AddValue("$key", key);
        }

        var byExperiment = new Dictionary<string, List<Row>>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var experiment = reader.GetString(0);
            if (!byExperiment.TryGetValue(experiment, out var rows))
            {
                byExperiment[experiment] = rows = [];
            }

            // Read as stored: a value no int holds (a row edited by hand) fails its own experiment in ToAllocation, not every read.
            rows.Add(new Row(reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return byExperiment;
    }

    /// <summary>One stored allocation, as text.</summary>
    internal sealed record Row(long Index, long Stage, string Kind, string At, string Ranges)
    {
        /// <summary>The allocation, its table rebuilt from the stored ranges.</summary>
        public StageAllocation ToAllocation(IReadOnlyList<string> variants) => new(
            checked((int)Index),
            checked((int)Stage),
            StorageText.Parse<AllocationKind>(Kind, "kind"),
            AllocationTable.FromRanges(variants, StorageJson.ReadRanges(Ranges)),
            StorageText.ParseTimestamp(At));
    }
}
