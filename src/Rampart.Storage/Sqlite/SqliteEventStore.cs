using System.Runtime.CompilerServices;
using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary>
/// <see cref="IEventStore"/> on a SQLite file: a batch is one transaction with one prepared insert reused for every
/// event (bound through SQLite's own API); an id already stored (or repeated within the batch) makes its event a duplicate.
/// </summary>
public sealed class SqliteEventStore : IEventStore
{
    private readonly SqliteDatabase database;

    /// <summary>A store on the SQLite file at <paramref name="path"/>, created on first use.</summary>
    public SqliteEventStore(string path)
        : this(new SqliteDatabase(path))
    {
    }

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public SqliteEventStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(IReadOnlyList<ExperimentEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return new AppendResult(0, 0);
        }

        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = new EventInsertStatement(connection);
        var stored = new List<StoredEvent>(events.Count);

        // Leaving early (an exception, a cancellation) disposes the transaction uncommitted: the whole batch rolls back.
        for (var i = 0; i < events.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (insert.Execute(events[i]))
            {
                stored.Add(new StoredEvent(insert.LastPosition, events[i]));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AppendResult(stored.Count, events.Count - stored.Count) { Stored = stored };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command(EventRows.Select);
        command.Parameters.AddValue("$experiment", experiment);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return EventRows.Read(reader);
        }
    }
}
