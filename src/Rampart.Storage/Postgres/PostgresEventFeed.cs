using Rampart.Core.Events;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IEventFeed"/> on PostgreSQL: an event's position is its batch's first position
/// (<c>event_batches.first</c>) plus its offset in the batch. A batch takes its positions under a lock held until its
/// commit is visible (see <see cref="PostgresEventStore"/>), so no event can become visible below a position a reader
/// has already passed: every follower, on every server, sees every event once, in the order the batches committed.
/// </summary>
public sealed class PostgresEventFeed : IEventFeed
{
    private static readonly string ReadAfter = $"""
        SELECT {string.Join(", ", EventRows.ColumnsWithoutContent.Select(c => c == "NULL" ? c : "e." + c))}, {PostgresEventRows.PositionSql}
        FROM {PostgresEventRows.Committed}
        WHERE b.last > $1 AND {PostgresEventRows.PositionSql} > $1
        ORDER BY {PostgresEventRows.StoreOrder} LIMIT $2;
        """;

    private static readonly string FindCompletion = $"""
        SELECT {PostgresEventRows.QualifiedColumns} FROM {PostgresEventRows.Committed}
        WHERE e.type = 'completion' AND e.request_id = $1 ORDER BY {PostgresEventRows.StoreOrder} LIMIT 1;
        """;

    private readonly PostgresDatabase database;

    /// <summary>A feed of <paramref name="database"/>'s events.</summary>
    public PostgresEventFeed(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(ReadAfter).With(position).With((long)max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<StoredEvent>();
        var seq = PostgresEventRows.ColumnCount;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new StoredEvent(reader.GetInt64(seq), PostgresEventRows.Read(reader)));
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<ExperimentEvent?> FindCompletionAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(FindCompletion).With(requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresEventRows.Read(reader) : null;
    }
}
