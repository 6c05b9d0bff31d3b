using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary><see cref="IQuarantineStore"/> on a SQLite file: the <c>quarantined_events</c> table.</summary>
public sealed class SqliteQuarantineStore : IQuarantineStore
{
    private readonly SqliteDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public SqliteQuarantineStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task AddAsync(QuarantinedEvent quarantined, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quarantined);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("""
            INSERT OR IGNORE INTO quarantined_events (position, experiment, event_id, event, error, quarantined_at)
            VALUES ($position, $experiment, $event_id, $event, $error, $at);
            """);
        command.Parameters.AddValue("$position", quarantined.Position);
        command.Parameters.AddValue("$experiment", quarantined.Experiment);
        command.Parameters.AddValue("$event_id", quarantined.EventId);
        command.Parameters.AddValue("$event", quarantined.EventJson);
        command.Parameters.AddValue("$error", quarantined.Error);
        command.Parameters.AddValue("$at", StorageText.Timestamp(quarantined.QuarantinedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QuarantinedEvent>> ListAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("""
            SELECT position, experiment, event_id, event, error, quarantined_at FROM quarantined_events
            WHERE position > $after ORDER BY position LIMIT $limit;
            """);
        command.Parameters.AddValue("$after", after);
        command.Parameters.AddValue("$limit", limit);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<QuarantinedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new QuarantinedEvent(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), StorageText.ParseTimestamp(reader.GetString(5))));
        }

        return list;
    }
}
