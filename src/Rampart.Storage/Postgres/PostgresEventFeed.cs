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
    // The batches that hold the next $2 events after position $1, counted from their first and last positions (so one
    // batch more than needed at most, or fewer events than counted where events were deleted), then each one's events by
    // its primary key; a batch without events after $1 gives one row of nulls, so the reader knows it has passed it. The
    // shape is fixed (a LATERAL that cannot be flattened, a LIMIT on the batches) so that no plan reads the whole table:
    // with statistics older than a fast-growing table, a plain join was planned as a hash join over every event (160 ms a
    // page instead of 3 ms).
    private static readonly string ReadAfter = $"""
        SELECT {string.Join(", ", EventRows.ColumnsWithoutContent.Select(c => c == "NULL" ? c : "e." + c))}, b.first, b.last, e.ord
        FROM (
            SELECT batch, first, last FROM (
                SELECT batch, first, last,
                       SUM(last - GREATEST(first, $1 + 1) + 1) OVER (ORDER BY last ROWS UNBOUNDED PRECEDING) - (last - GREATEST(first, $1 + 1) + 1) AS before
                FROM (SELECT batch, first, last FROM event_batches WHERE last > $1 ORDER BY last LIMIT $2) next
            ) counted
            WHERE before < $2
        ) b
        LEFT JOIN LATERAL (SELECT * FROM events WHERE events.batch = b.batch AND events.ord > $1 - b.first OFFSET 0) e ON true
        ORDER BY b.last, e.ord LIMIT $2;
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
        var events = new List<StoredEvent>();
        var after = position;
        while (events.Count < max)
        {
            var limit = max - events.Count;
            var (rows, counted, passed) = await ReadPageAsync(connection, after, limit, events, cancellationToken).ConfigureAwait(false);

            // Done when nothing follows, or when the batches read held all that was counted after `after` without filling
            // the page (so there were no more batches); otherwise go on from the last position passed.
            if (rows == 0 || (rows < limit && counted < limit))
            {
                break;
            }

            after = passed;
        }

        return events;
    }

    // Adds the events of one query to `events`; returns the rows read, the positions the batches read count after
    // `after`, and the last position passed (the last event's, or the end of the last batch when the page was not full).
    private static async Task<(int Rows, long Counted, long Passed)> ReadPageAsync(
        Npgsql.NpgsqlConnection connection, long after, int limit, List<StoredEvent> events, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(ReadAfter).With(after).With((long)limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var (first, last, ord) = (PostgresEventRows.ColumnCount, PostgresEventRows.ColumnCount + 1, PostgresEventRows.ColumnCount + 2);
        var (rows, counted, batchLast, passed) = (0, 0L, -1L, after);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            var batchFirst = reader.GetInt64(first);
            if (reader.GetInt64(last) != batchLast)
            {
                batchLast = reader.GetInt64(last);
                counted += batchLast - Math.Max(batchFirst, after + 1) + 1;
            }

            if (reader.IsDBNull(ord))
            {
                passed = batchLast;
            }
            else
            {
                passed = batchFirst + reader.GetInt32(ord);
                events.Add(new StoredEvent(passed, PostgresEventRows.Read(reader)));
            }
        }

        return (rows, counted, rows < limit ? batchLast : passed);
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
