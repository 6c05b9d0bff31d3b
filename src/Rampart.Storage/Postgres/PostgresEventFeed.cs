using Rampart.Core.Events;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IEventFeed"/> on PostgreSQL: positions are the <c>events</c> table's <c>seq</c>. Appends are serialised
/// until commit (see <see cref="PostgresEventStore"/>), so no event can become visible below a position a reader has
/// already passed: every follower, on every server, sees every event once.
/// </summary>
public sealed class PostgresEventFeed : IEventFeed
{
    private static readonly string ReadAfter = $"SELECT {string.Join(", ", EventRows.ColumnsWithoutContent)}, seq FROM events WHERE seq > $1 ORDER BY seq LIMIT $2;";

    private static readonly string FindCompletion =
        $"SELECT {PostgresEventRows.Columns} FROM events WHERE type = 'completion' AND request_id = $1 ORDER BY seq LIMIT 1;";

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
