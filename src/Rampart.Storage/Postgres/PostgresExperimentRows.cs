using Npgsql;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>The <c>experiments</c> and <c>allocations</c> tables: an experiment's latest version and its range-table history.</summary>
internal static class PostgresExperimentRows
{
    private const string Columns = "key, definition, state, winner, version, created_at, stage_started_at, rolled_back";

    /// <summary>Inserts the experiment unless its key is taken; returns false when it is.</summary>
    public static async Task<bool> TryInsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Experiment experiment, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            $"INSERT INTO experiments ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING;", transaction);
        Bind(command, experiment, includeCreatedAt: true);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes the experiment over the stored row if that row is the version before; returns false otherwise.</summary>
    public static async Task<bool> TryUpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Experiment experiment, CancellationToken cancellationToken)
    {
        // Two writers of one version: the second waits for the first's row lock, then re-checks the version and finds it gone.
        await using var command = connection.Command(
            """
            UPDATE experiments SET definition = $2, state = $3, winner = $4, version = $5, stage_started_at = $6, rolled_back = $7
            WHERE key = $1 AND version = $5 - 1;
            """,
            transaction);
        Bind(command, experiment, includeCreatedAt: false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>True when an experiment has <paramref name="key"/>.</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT 1 FROM experiments WHERE key = $1;", transaction).With(key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Inserts the allocations whose index is above the highest stored for the experiment (all of them for a new one).</summary>
    public static async Task InsertNewAllocationsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Experiment experiment, CancellationToken cancellationToken)
    {
        int stored;
        await using (var max = connection.Command("SELECT COALESCE(MAX(idx), -1) FROM allocations WHERE experiment = $1;", transaction).With(experiment.Key))
        {
            stored = (int)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        foreach (var allocation in experiment.Allocations.Where(a => a.Index > stored))
        {
            await using var insert = connection.Command(
                "INSERT INTO allocations (experiment, idx, stage, kind, at, ranges) VALUES ($1, $2, $3, $4, $5, $6);", transaction)
                .With(experiment.Key).With(allocation.Index).With(allocation.Stage).With(StorageText.Name(allocation.Kind))
                .WithTime(allocation.At).With(StorageJson.WriteRanges(allocation.Table.ToRanges()));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The experiment with <paramref name="key"/> (or every experiment when it is null), by key, each with its stored
    /// range tables, and those whose rows cannot be read; only the definitions of rows that changed since
    /// <paramref name="parsed"/> last saw them are read and parsed. Run it in a repeatable-read transaction so the rows,
    /// their allocations and their definitions are one snapshot.
    /// </summary>
    public static async Task<ExperimentListResult> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string? key, ParsedExperiments<PostgresExperimentRow> parsed, CancellationToken cancellationToken)
    {
        var allocations = new Dictionary<string, List<PostgresAllocationRow>>(StringComparer.Ordinal);
        await using (var command = connection.Command(
            $"SELECT experiment, idx, stage, kind, at, ranges FROM allocations {(key is null ? "" : "WHERE experiment = $1")} ORDER BY experiment, idx;", transaction))
        {
            if (key is not null)
            {
                command.With(key);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var experiment = reader.GetString(0);
                if (!allocations.TryGetValue(experiment, out var list))
                {
                    allocations[experiment] = list = [];
                }

                list.Add(new PostgresAllocationRow(reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3), reader.GetTime(4), reader.GetString(5)));
            }
        }

        // octet_length reads the size from the TOAST pointer: the definition is neither fetched nor decompressed.
        var rows = new List<PostgresExperimentRow>();
        await using (var command = connection.Command(
            $"""
            SELECT key, state, winner, version, created_at, stage_started_at, rolled_back, octet_length(definition)
            FROM experiments {(key is null ? "" : "WHERE key = $1")} ORDER BY key COLLATE "C";
            """,
            transaction))
        {
            if (key is not null)
            {
                command.With(key);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var rowKey = reader.GetString(0);
                rows.Add(new PostgresExperimentRow(
                    rowKey, reader.GetString(1), reader.GetText(2), reader.GetInt64(3), reader.GetTime(4), reader.IsDBNull(5) ? null : reader.GetTime(5),
                    reader.GetString(6), reader.GetInt32(7), allocations.GetValueOrDefault(rowKey) ?? []));
            }
        }

        return await parsed.ReadAsync(
            rows, row => row.Key, keys => ReadDefinitionsAsync(connection, transaction, keys, cancellationToken), (row, definition) => row.ToExperiment(definition), key)
            .ConfigureAwait(false);
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadDefinitionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var definitions = new Dictionary<string, string>(keys.Count, StringComparer.Ordinal);
        await using var command = connection.Command("SELECT key, definition FROM experiments WHERE key = ANY($1);", transaction).With(keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            definitions[reader.GetString(0)] = reader.GetString(1);
        }

        return definitions;
    }

    private static void Bind(NpgsqlCommand command, Experiment experiment, bool includeCreatedAt)
    {
        command.With(experiment.Key)
            .With(ExperimentDefinitionJson.Write(experiment.Definition, indented: false))
            .With(StorageText.Name(experiment.State))
            .With(experiment.Winner)
            .With(experiment.Version);
        if (includeCreatedAt)
        {
            command.WithTime(experiment.CreatedAt);
        }

        command.WithTime(experiment.StageStartedAt).With(StorageJson.WriteMap(experiment.RolledBack));
    }
}
