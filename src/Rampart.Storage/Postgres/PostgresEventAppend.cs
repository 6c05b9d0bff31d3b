using Npgsql;
using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary>
/// One attempt to append a batch of events, in one transaction, in one of three <see cref="AppendMode"/>s: a batch
/// tries them in turn. <see cref="AppendMode.Blind"/> (the usual way): draw a batch id, COPY the events tagged with it,
/// and only then take the events' advisory lock to record the batch in <c>event_batches</c> with the positions right
/// after the last committed batch's, and commit; the unique index on <c>id</c> stops the COPY at the first id that is
/// stored. <see cref="AppendMode.LookUp"/> (after that): the same, having first looked up which ids are stored, so a
/// client's retry of a stored batch counts its duplicates without taking the lock for longer than its commit.
/// <see cref="AppendMode.Serialised"/> (when another transaction stored one of the ids meanwhile): the lock first, as
/// every append did before schema version 9, so nobody can store an id between the look-up and the COPY.
/// </summary>
internal static class PostgresEventAppend
{
    /// <summary>How an attempt deals with ids that may be stored already.</summary>
    public enum AppendMode
    {
        /// <summary>No look-up, no lock until the commit: the unique index finds a stored id.</summary>
        Blind,

        /// <summary>A look-up of the stored ids first, no lock until the commit.</summary>
        LookUp,

        /// <summary>The lock first, then the look-up, held to the commit.</summary>
        Serialised,
    }

    /// <summary>The mode of attempt <paramref name="attempt"/> (from 1).</summary>
    public static AppendMode ModeOf(int attempt) => attempt switch
    {
        1 => AppendMode.Blind,
        2 => AppendMode.LookUp,
        _ => AppendMode.Serialised,
    };

    private const string StoredIds = "SELECT id FROM events WHERE id = ANY($1);";
    private const string NewBatchId = "SELECT nextval('event_batch_ids');";

    // Under the lock, so the previous batch to hold it has committed (or rolled back) and MAX(last) is final.
    private const string RecordBatch = """
        INSERT INTO event_batches (batch, first, last)
        SELECT $1, after + 1, after + $2 FROM (SELECT COALESCE(MAX(last), 0) AS after FROM event_batches) committed
        RETURNING first;
        """;

    /// <summary>
    /// Appends <paramref name="events"/> on <paramref name="connection"/>
    /// and commits, reporting the stored events with their positions. Throws <see cref="PostgresException"/> with
    /// <see cref="IsDuplicate"/> true when an attempt met an id that is stored, or that another transaction stored
    /// meanwhile (a serialised attempt only by a deadlock with an unserialised one); the batch is then rolled back, whole.
    /// </summary>
    public static async Task<AppendResult> RunAsync(
        NpgsqlConnection connection, IReadOnlyList<ExperimentEvent> events, AppendMode mode, CancellationToken cancellationToken)
    {
        // Leaving early (an exception, a cancellation) disposes the transaction uncommitted: the whole batch rolls back.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var (seen, batch) = await PrepareAsync(connection, transaction, events, mode, cancellationToken).ConfigureAwait(false);
        var fresh = new List<ExperimentEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Id is not { } id || seen.Add(NpgsqlConnectionExtensions.Storable(id)))
            {
                fresh.Add(events[i]);
            }
        }

        if (fresh.Count == 0)
        {
            return new AppendResult(0, events.Count) { Stored = [] };
        }

        await CopyAsync(connection, fresh, batch, cancellationToken).ConfigureAwait(false);

        // The lock is held from here until the commit is visible, so positions are taken in commit order; the COPY above
        // ran concurrently with other servers'.
        var first = await RecordAsync(connection, transaction, batch, fresh.Count, mode == AppendMode.Serialised, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var stored = new StoredEvent[fresh.Count];
        for (var i = 0; i < fresh.Count; i++)
        {
            stored[i] = new StoredEvent(first + i, fresh[i]);
        }

        return new AppendResult(fresh.Count, events.Count - fresh.Count) { Stored = stored };
    }

    // COPYs the events, encoded by hand (PostgresCopyEncoder) and sent in large writes. A raw COPY stream completes the
    // COPY when disposed, so a failure while encoding (a cancellation) cancels it first: nothing of it is kept (and the
    // transaction, left uncommitted, rolls back anyway). PostgreSQL's own errors (a stored id's unique violation) arrive
    // when the COPY completes, as a PostgresException. The caller's token reaches the writes, not the completion: a raw
    // COPY stream reads PostgreSQL's answer without one (the server passes none anyway: a batch once taken is written).
    internal static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<ExperimentEvent> events, long batch, CancellationToken cancellationToken)
    {
        var stream = await connection.BeginRawBinaryCopyAsync(PostgresEventRows.Copy, cancellationToken).ConfigureAwait(false);
        using var rows = new PostgresCopyEncoder();
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PostgresEventRows.Write(rows, events[i], batch, i);
                await rows.FlushAsync(stream, force: false, cancellationToken).ConfigureAwait(false);
            }

            rows.Finish();
            await rows.FlushAsync(stream, force: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbandonAsync(stream).ConfigureAwait(false);
            throw;
        }

        // Completes the COPY: PostgreSQL's errors on it (a stored id) arrive here.
        await stream.DisposeAsync().ConfigureAwait(false);
    }

    // Cancels a COPY that failed on this side, so that it is not completed, and lets the stream go. Whatever the cancel
    // meets (a connection the failure broke, PostgreSQL's own error on the COPY) is not the cause: the failure that led
    // here is what the caller sees, and the transaction is never committed.
    private static async Task AbandonAsync(NpgsqlRawCopyStream stream)
    {
        await Quietly(stream.CancelAsync).ConfigureAwait(false);
        await Quietly(async () => await stream.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);

        static async Task Quietly(Func<Task> step)
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or ObjectDisposedException or InvalidOperationException or IOException)
            {
            }
        }
    }

    /// <summary>
    /// True for the errors an attempt without the lock meets when one of its ids is stored, before or by another transaction
    /// meanwhile: the unique index on <c>id</c> (once the other commits) or a deadlock (two batches waiting on each
    /// other's ids).
    /// </summary>
    public static bool IsDuplicate(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected;

    // One round trip: the batch id to tag the new rows with and, but blind, the ids already stored (serialised: the lock
    // first).
    private static async Task<(HashSet<string> Stored, long Batch)> PrepareAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ExperimentEvent> events, AppendMode mode, CancellationToken cancellationToken)
    {
        await using var prepare = new NpgsqlBatch(connection, transaction);
        if (mode == AppendMode.Serialised)
        {
            prepare.BatchCommands.Add(new NpgsqlBatchCommand(PostgresLocks.LockEvents));
        }

        if (mode != AppendMode.Blind)
        {
            prepare.BatchCommands.Add(new NpgsqlBatchCommand(StoredIds) { Parameters = { new NpgsqlParameter<string[]> { TypedValue = StorableIds(events) } } });
        }

        prepare.BatchCommands.Add(new NpgsqlBatchCommand(NewBatchId));
        await using var reader = await prepare.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (mode == AppendMode.Serialised)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        var stored = new HashSet<string>(StringComparer.Ordinal);
        if (mode != AppendMode.Blind)
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(reader.GetString(0));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (stored, reader.GetInt64(0));
    }

    // The batch's ids as stored, for the look-up; only attempts that look up need them.
    private static string[] StorableIds(IReadOnlyList<ExperimentEvent> events)
    {
        var ids = new List<string>(events.Count);
        foreach (var e in events)
        {
            if (e.Id is { } id)
            {
                ids.Add(NpgsqlConnectionExtensions.Storable(id));
            }
        }

        return [.. ids];
    }

    // One round trip: (the lock and) the batch's row; returns its first position.
    private static async Task<long> RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long batch, int count, bool serialised, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlBatch(connection, transaction);
        if (!serialised)
        {
            record.BatchCommands.Add(new NpgsqlBatchCommand(PostgresLocks.LockEvents));
        }

        record.BatchCommands.Add(new NpgsqlBatchCommand(RecordBatch)
        {
            Parameters = { new NpgsqlParameter<long> { TypedValue = batch }, new NpgsqlParameter<long> { TypedValue = count } },
        });
        await using var reader = await record.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!serialised)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetInt64(0);
    }
}
