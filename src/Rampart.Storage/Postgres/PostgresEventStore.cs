using System.Runtime.CompilerServices;
using Npgsql;
using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IEventStore"/> on PostgreSQL. A batch is one transaction: it writes its events with one binary COPY,
/// concurrently with other servers' batches; only the last step, recording the
/// batch in <c>event_batches</c>, takes the events' advisory lock, which is held until the commit is visible, so
/// positions are taken in commit order, without gaps, and the feed never finds an event below a position it has passed.
/// The result reports the stored events with their positions (<see cref="AppendResult.Stored"/>). When one of its ids
/// is stored already, or another batch stores it meanwhile (the unique index on <c>id</c>, or a deadlock between the
/// two), the batch is rolled back and retried with a look-up of its stored ids, then, if that meets one too, holding the
/// lock from the look-up on, so <see cref="AppendResult"/>'s counts stay exact
/// (docs/decisions/0016-postgres-concurrent-appends.md).
/// </summary>
public sealed class PostgresEventStore : IEventStore
{
    // A blind attempt, then one with a look-up, then serialised ones. A serialised attempt meets a concurrent duplicate
    // only when an unserialised batch holding the same id deadlocks with it; four are plenty, and past them the error
    // reaches the caller (the event writer keeps the batch).
    private const int MaxAttempts = 6;

    private static readonly string ReadExperiment =
        $"SELECT {PostgresEventRows.QualifiedColumns} FROM {PostgresEventRows.Committed} WHERE e.experiment = $1 ORDER BY {PostgresEventRows.StoreOrder};";

    private readonly PostgresDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresEventStore(PostgresDatabase database)
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

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PostgresEventAppend.RunAsync(connection, events, PostgresEventAppend.ModeOf(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (PostgresEventAppend.IsDuplicate(e) && attempt < MaxAttempts)
            {
                // Rolled back whole: try again, looking the stored ids up (then, if another batch stored one meanwhile,
                // serialised), to count them as duplicates.
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExperimentEvent> ReadAsync(string experiment, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(ReadExperiment).With(experiment);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PostgresEventRows.Read(reader);
        }
    }
}
