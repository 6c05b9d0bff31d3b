using Microsoft.Data.Sqlite;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Sqlite;

/// <summary>The <c>experiments</c> table: one row per experiment, the latest version.</summary>
internal static class ExperimentRows
{
    private const string Columns = "key, definition, state, winner, version, created_at, stage_started_at, rolled_back";

    /// <summary>Inserts the experiment unless its key is taken; returns false when it is.</summary>
    public static async Task<bool> TryInsertAsync(SqliteConnection connection, SqliteTransaction transaction, Experiment experiment, CancellationToken cancellationToken)
    {
        using var command = connection.Command(
            $"INSERT INTO experiments ({Columns}) VALUES ($key, $definition, $state, $winner, $version, $created_at, $stage_started_at, $rolled_back) ON CONFLICT (key) DO NOTHING;",
            transaction);
        Bind(command, experiment);
        command.Parameters.AddValue("$created_at", StorageText.Timestamp(experiment.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes the experiment over the stored row if that row is the version before; returns false otherwise.</summary>
    public static async Task<bool> TryUpdateAsync(SqliteConnection connection, SqliteTransaction transaction, Experiment experiment, CancellationToken cancellationToken)
    {
        using var command = connection.Command(
            """
            UPDATE experiments
            SET definition = $definition, state = $state, winner = $winner, version = $version,
                stage_started_at = $stage_started_at, rolled_back = $rolled_back
            WHERE key = $key AND version = $version - 1;
            """,
            transaction);
        Bind(command, experiment);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>True when an experiment has <paramref name="key"/>.</summary>
    public static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction transaction, string key, CancellationToken cancellationToken)
    {
        using var command = connection.Command("SELECT 1 FROM experiments WHERE key = $key;", transaction);
        command.Parameters.AddValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// The experiment with <paramref name="key"/> (or every experiment when it is null), by key, each with its stored
    /// range tables, and those whose rows cannot be read. Run it in a transaction so the rows and their allocations are
    /// one snapshot.
    /// </summary>
    public static async Task<ExperimentListResult> ReadAsync(SqliteConnection connection, SqliteTransaction transaction, string? key, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        using (var command = connection.Command(
            $"SELECT {Columns} FROM experiments {(key is null ? "" : "WHERE key = $key")} ORDER BY key;", transaction))
        {
            if (key is not null)
            {
                command.Parameters.AddValue("$key", key);
            }

            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new Row(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetInt64(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7)));
            }
        }

        if (rows.Count == 0)
        {
            return new ExperimentListResult([]);
        }

        var allocations = await AllocationRows.ReadAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false);
        return UnreadableRows.ReadEach(rows, row => row.Key, row => row.ToExperiment(allocations.GetValueOrDefault(row.Key) ?? []));
    }

    private static void Bind(SqliteCommand command, Experiment experiment)
    {
        command.Parameters.AddValue("$key", experiment.Key);
        command.Parameters.AddValue("$definition", ExperimentDefinitionJson.Write(experiment.Definition, indented: false));
        command.Parameters.AddValue("$state", StorageText.Name(experiment.State));
        command.Parameters.AddValue("$winner", experiment.Winner);
        command.Parameters.AddValue("$version", experiment.Version);
        command.Parameters.AddValue("$stage_started_at", StorageText.Timestamp(experiment.StageStartedAt));
        command.Parameters.AddValue("$rolled_back", StorageJson.WriteMap(experiment.RolledBack));
    }

    private sealed record Row(
        string Key, string Definition, string State, string? Winner, long Version, string CreatedAt, string? StageStartedAt, string RolledBack)
    {
        public Experiment ToExperiment(List<AllocationRows.Row> allocations)
        {
            var definition = ExperimentDefinitionJson.Parse(Definition);
            for (var i = 0; i < allocations.Count; i++)
            {
                if (allocations[i].Index != i)
                {
                    throw new InvalidDataException($"Experiment '{Key}' lacks allocation {i}; its stored history is damaged.");
                }
            }

            if (allocations.Count == 0)
            {
                throw new InvalidDataException($"Experiment '{Key}' has no allocation; its stored history is damaged.");
            }

            return new Experiment(
                definition,
                StorageText.Parse<ExperimentState>(State, "state"),
                [.. allocations.Select(a => a.ToAllocation(definition.VariantNames))],
                StorageJson.ReadMap(RolledBack),
                Winner,
                Version,
                StorageText.ParseTimestamp(CreatedAt),
                StageStartedAt is null ? null : StorageText.ParseTimestamp(StageStartedAt));
        }
    }
}
