using Rampart.Core.Events;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IEventFeed"/> on PostgreSQL: an event's position is its batch's <c>event_batches.pos</c> shifted left
/// 20 bits, plus its offset in the batch. A batch's <c>pos</c> is drawn under a lock held until its commit is visible
/// (see <see cref="PostgresEventStore"/>), so no event can become visible below a position a reader has already passed:
/// every follower, on every server, sees every event once, in the order the batches committed.
/// </summary>
public sealed class PostgresEventFeed : IEventFeed
{
    // $1 and $2 are the position's batch pos and offset: the batch at $1 is read from just after $2, later ones whole.
    private static readonly string ReadAfter = $"""
        SELECT {string.Join(", ", EventRows.ColumnsWithoutContent.Select(c => c == "NULL" ? c : "e." + c))}, {PostgresEventRows.PositionSql}
        FROM {PostgresEventRows.Committed}
        WHERE b.pos >= $1 AND (b.pos > $1 OR e.ord > $2)
        ORDER BY {PostgresEventRows.StoreOrder} LIMIT $3;
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
        await using var command = connection.Command(ReadAfter)
            .With(position >> PostgresEventRows.OrdBits).With((int)(position & (PostgresEventRows.MaxBatch - 1))).With((long)max);
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
