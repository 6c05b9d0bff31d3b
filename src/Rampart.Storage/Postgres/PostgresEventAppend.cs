using Npgsql;
using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary>
/// One attempt to append a batch of events, in one transaction. Optimistic (the usual way): look up which ids are stored,
/// COPY the rest tagged with fresh batch ids, and only then take the events' advisory lock to insert each batch's
/// <c>event_batches</c> row, whose <c>pos</c> is thereby drawn in commit order, and commit. Serialised (after an
/// optimistic attempt met a concurrent duplicate): take the lock first, as every append did before schema version 8, so
/// nobody can store an id between the look-up and the COPY.
/// </summary>
internal static class PostgresEventAppend
{
    private const string StoredIds = "SELECT id FROM events WHERE id = ANY($1);";
    private const string NewBatchIds = "SELECT nextval('event_batch_ids') FROM generate_series(1, $1);";
    private const string CommitBatch = "INSERT INTO event_batches (batch, pos) VALUES ($1, nextval('event_batch_positions'));";

    /// <summary>
    /// Appends <paramref name="events"/> (whose storable ids are <paramref name="ids"/>) on <paramref name="connection"/>
    /// and commits. Throws <see cref="PostgresException"/> with <see cref="IsConcurrentDuplicate"/> true when an
    /// optimistic attempt met an id another transaction stored meanwhile; the batch is then rolled back, whole.
    /// </summary>
    public static async Task<AppendResult> RunAsync(
        NpgsqlConnection connection, IReadOnlyList<ExperimentEvent> events, List<string> ids, bool serialised, CancellationToken cancellationToken)
    {
        // Leaving early (an exception, a cancellation) disposes the transaction uncommitted: the whole batch rolls back.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var (seen, batches) = await PrepareAsync(connection, transaction, ids, (events.Count + PostgresEventRows.MaxBatch - 1) / PostgresEventRows.MaxBatch, serialised, cancellationToken)
            .ConfigureAwait(false);
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
            return new AppendResult(0, events.Count);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(PostgresEventRows.Copy, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < fresh.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await PostgresEventRows.WriteAsync(importer, fresh[i], batches[i >> PostgresEventRows.OrdBits], i & (PostgresEventRows.MaxBatch - 1), cancellationToken)
                    .ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // The lock is held from here until the commit is visible, so positions are drawn in commit order; the COPY above
        // ran concurrently with other servers'.
        await using (var commit = new NpgsqlBatch(connection, transaction))
        {
            if (!serialised)
            {
                commit.BatchCommands.Add(new NpgsqlBatchCommand(PostgresLocks.LockEvents));
            }

            for (var b = 0; b * PostgresEventRows.MaxBatch < fresh.Count; b++)
            {
                commit.BatchCommands.Add(new NpgsqlBatchCommand(CommitBatch) { Parameters = { new NpgsqlParameter<long> { TypedValue = batches[b] } } });
            }

            await commit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AppendResult(fresh.Count, events.Count - fresh.Count);
    }

    /// <summary>
    /// True for the errors an optimistic attempt meets when another transaction stores one of its ids meanwhile: the
    /// unique index on <c>id</c> (after the other commits) or a deadlock (two batches waiting on each other's ids).
    /// </summary>
    public static bool IsConcurrentDuplicate(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected;

    // One round trip: (the lock,) the ids already stored and the batch ids to tag the new rows with.
    private static async Task<(HashSet<string> Stored, long[] Batches)> PrepareAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<string> ids, int batchCount, bool serialised, CancellationToken cancellationToken)
    {
        await using var prepare = new NpgsqlBatch(connection, transaction);
        if (serialised)
        {
            prepare.BatchCommands.Add(new NpgsqlBatchCommand(PostgresLocks.LockEvents));
        }

        prepare.BatchCommands.Add(new NpgsqlBatchCommand(StoredIds) { Parameters = { new NpgsqlParameter<string[]> { TypedValue = [.. ids] } } });
        prepare.BatchCommands.Add(new NpgsqlBatchCommand(NewBatchIds) { Parameters = { new NpgsqlParameter<int> { TypedValue = batchCount } } });
        await using var reader = await prepare.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (serialised)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        var stored = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add(reader.GetString(0));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var batches = new long[batchCount];
        for (var b = 0; b < batchCount && await reader.ReadAsync(cancellationToken).ConfigureAwait(false); b++)
        {
            batches[b] = reader.GetInt64(0);
        }

        return (stored, batches);
    }
}
