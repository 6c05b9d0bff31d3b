using Microsoft.Data.Sqlite;
using Rampart.Core.Audit;

namespace Rampart.Storage.Sqlite;

/// <summary>The <c>audit</c> table: each experiment's state changes, numbered from 1 in the order they were stored.</summary>
internal static class AuditRows
{
    /// <summary>Appends <paramref name="entry"/> after the experiment's last entry.</summary>
    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        using var command = connection.Command(
            """
            INSERT INTO audit (experiment, seq, ts, who, action, variant, reason, metrics)
            SELECT $experiment, COALESCE(MAX(seq), 0) + 1, $ts, $who, $action, $variant, $reason, $metrics
            FROM audit WHERE experiment = $experiment;
            """,
            transaction);
        command.Parameters.AddValue("$experiment", entry.Experiment);
        command.Parameters.AddValue("$ts", StorageText.Timestamp(entry.Ts));
        command.Parameters.AddValue("$who", entry.Who);
        command.Parameters.AddValue("$action", entry.ActionName);
        command.Parameters.AddValue("$variant", entry.Variant);
        command.Parameters.AddValue("$reason", entry.Reason);
        command.Parameters.AddValue("$metrics", StorageJson.WriteMetrics(entry.Metrics));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The audit log of <paramref name="key"/>, oldest first.</summary>
    public static async Task<List<AuditEntry>> ReadAsync(SqliteConnection connection, string key, CancellationToken cancellationToken)
    {
        using var command = connection.Command("SELECT ts, who, action, variant, reason, metrics FROM audit WHERE experiment = $key ORDER BY seq;");
        command.Parameters.AddValue("$key", key);
        var entries = new List<AuditEntry>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                key,
                StorageText.ParseTimestamp(reader.GetString(0)),
                reader.GetString(1),
                StorageText.Parse<AuditAction>(reader.GetString(2), "action"),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                StorageJson.ReadMetrics(reader.GetString(5))));
        }

        return entries;
    }
}
