using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary><see cref="IEventFeed"/> on a SQLite file: positions are the <c>events</c> table's <c>seq</c>.</summary>
public sealed class SqliteEventFeed : IEventFeed
{
    private static readonly string ReadAfter =
        $"SELECT {string.Join(", ", EventRows.ColumnsWithoutContent)}, seq FROM events WHERE seq > $after ORDER BY seq LIMIT $max;";

    private static readonly string FindCompletion =
        $"SELECT {string.Join(", ", EventRows.Columns)} FROM events WHERE type = 'completion' AND request_id = $request_id ORDER BY seq LIMIT 1;";

    private readonly SqliteDatabase database;

    /// <summary>A feed of <paramref name="database"/>'s events.</summary>
    public SqliteEventFeed(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command(ReadAfter);
        command.Parameters.AddValue("$after", position);
        command.Parameters.AddValue("$max", max);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<StoredEvent>();
        var seq = EventRows.Columns.Length;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new StoredEvent(reader.GetInt64(seq), EventRows.Read(reader)));
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<ExperimentEvent?> FindCompletionAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command(FindCompletion);
        command.Parameters.AddValue("$request_id", requestId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? EventRows.Read(reader) : null;
    }
}
