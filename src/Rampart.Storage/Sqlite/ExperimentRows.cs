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
    /// range tables, and those whose rows cannot be read; only the definitions of rows that changed since
    /// <paramref name="parsed"/> last saw them are read and parsed. Run it in a transaction so the rows, their allocations
    /// and their definitions are one snapshot.
    /// </summary>
    public static async Task<ExperimentListResult> ReadAsync(
        SqliteConnection connection, SqliteTransaction transaction, string? key, ParsedExperiments<ExperimentRow> parsed, CancellationToken cancellationToken)
    {
        var allocations = await AllocationRows.ReadAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false);
        var rows = new List<ExperimentRow>();

        // octet_length reads the length from the record header: the definition itself stays on its overflow pages.
        using (var command = connection.Command(
            $"""
            SELECT key, state, winner, version, created_at, stage_started_at, rolled_back, octet_length(definition)
            FROM experiments {(key is null ? "" : "WHERE key = $key")} ORDER BY key;
            """,
            transaction))
        {
            if (key is not null)
            {
                command.Parameters.AddValue("$key", key);
            }

            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var rowKey = reader.GetString(0);
                rows.Add(new ExperimentRow(
                    rowKey, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.GetInt64(7), allocations.GetValueOrDefault(rowKey) ?? []));
            }
        }

        return await parsed.ReadAsync(
            rows, row => row.Key, keys => ReadDefinitionsAsync(connection, transaction, keys, cancellationToken), (row, definition) => row.ToExperiment(definition), key)
            .ConfigureAwait(false);
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadDefinitionsAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        using var command = connection.Command("SELECT definition FROM experiments WHERE key = $key;", transaction);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var definitions = new Dictionary<string, string>(keys.Count, StringComparer.Ordinal);
        foreach (var wanted in keys)
        {
            key.Value = wanted;
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                definitions[wanted] = reader.GetString(0);
            }
        }

        return definitions;
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
}
