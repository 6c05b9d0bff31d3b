using Npgsql;
using Rampart.Core.Audit;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>The <c>audit</c> table: each experiment's state changes, numbered from 1 in the order they were stored.</summary>
internal static class PostgresAuditRows
{
    /// <summary>
    /// Appends <paramref name="entry"/> after the experiment's last entry. Callers have written the experiment's row in
    /// the same transaction first, so its row lock orders concurrent appends.
    /// </summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            """
            INSERT INTO audit (experiment, seq, ts, who, action, variant, reason, metrics)
            SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7 FROM audit WHERE experiment = $1;
            """,
            transaction)
            .With(entry.Experiment).WithTime(entry.Ts).With(entry.Who).With(entry.ActionName).With(entry.Variant).With(entry.Reason)
            .With(StorageJson.WriteMetrics(entry.Metrics));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The audit log of <paramref name="key"/>, oldest first.</summary>
    public static async Task<List<AuditEntry>> ReadAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT ts, who, action, variant, reason, metrics FROM audit WHERE experiment = $1 ORDER BY seq;").With(key);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                key,
                reader.GetTime(0),
                reader.GetString(1),
                StorageText.Parse<AuditAction>(reader.GetString(2), "action"),
                reader.GetText(3),
                reader.GetString(4),
                StorageJson.ReadMetrics(reader.GetString(5))));
        }

        return entries;
    }
}
