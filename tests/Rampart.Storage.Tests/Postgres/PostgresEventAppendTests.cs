using Npgsql;
using Rampart.Core.Events;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

/// <summary>
/// Appends that run concurrently (schema version 9): positions must still be commit order, and counts exact. The first
/// two tests hold one batch's COPY open by giving it an id another, uncommitted transaction has inserted.
/// </summary>
public sealed class PostgresEventAppendTests : IDisposable
{
    private readonly TestPostgres postgres = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => postgres.Dispose();

    [Fact]
    public async Task AppendAsync_BatchCommittingAfterALaterOne_ComesAfterItInTheFeed()
    {
        var (sut, other, feed) = (Store("held-writer"), Store(), new PostgresEventFeed(Database()));
        await feed.ReadAfterAsync(0, 1, Ct);
        await using var holder = await HoldIdAsync("held");

        // The held batch draws its batch id, then waits in its COPY while a later batch commits whole.
        var held = sut.AppendAsync([TestEvents.Exposure("u-a0", "a-0"), TestEvents.Exposure("u-held", "held"), TestEvents.Exposure("u-a2", "a-2")], Ct);
        await WaitUntilBlockedAsync("held-writer");
        await other.AppendAsync(TestEvents.Exposures(3, "b"), Ct);
        var first = await feed.ReadAfterAsync(0, 100, Ct);
        await holder.RollbackAsync(Ct);
        var result = await held;
        var next = await feed.ReadAfterAsync(first[^1].Position, 100, Ct);

        Assert.Equal((3, 0), (result.Accepted, result.Duplicates));
        Assert.Equal(["b-0", "b-1", "b-2"], first.Select(e => e.Event.Id));
        Assert.Equal(["a-0", "held", "a-2"], next.Select(e => e.Event.Id));
        Assert.Equal(next.Select(e => (e.Position, e.Event.Id)), result.Stored!.Select(e => (e.Position, e.Event.Id)));
    }

    [Fact]
    public async Task AppendAsync_RetryOfAStoredBatchWhileAnotherCommits_CountsItsDuplicatesWithoutWaitingForTheLock()
    {
        var sut = Store();
        await sut.AppendAsync(TestEvents.Exposures(3, "r"), Ct);
        await using var holder = await HoldEventsLockAsync();

        // A client's retry of the same batch takes no position, so it must not queue behind another batch's commit.
        var retried = await sut.AppendAsync(TestEvents.Exposures(3, "r"), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal((0, 3), (retried.Accepted, retried.Duplicates));
    }

    [Fact]
    public async Task AppendAsync_IdCommittedByAnotherBatchDuringTheCopy_CountsItAsDuplicate()
    {
        var (sut, feed) = (Store("held-writer"), new PostgresEventFeed(Database()));
        await feed.ReadAfterAsync(0, 1, Ct);
        var holder = await HoldIdAsync("held");

        var held = sut.AppendAsync([TestEvents.Exposure("u-a0", "a-0"), TestEvents.Exposure("u-held", "held"), TestEvents.Exposure("u-a2", "a-2")], Ct);
        await WaitUntilBlockedAsync("held-writer");
        await RecordHeldAsync(holder);
        await holder.CommitAsync(Ct);
        var result = await held;

        Assert.Equal((2, 1), (result.Accepted, result.Duplicates));
        Assert.Equal(["held", "a-0", "a-2"], (await feed.ReadAfterAsync(0, 100, Ct)).Select(e => e.Event.Id));
    }

    [Fact]
    public async Task AppendAsync_FourStoresSendingOverlappingIdsWhileFollowed_CountExactlyAndFeedEachOnceAtTheReportedPositions()
    {
        const int Ids = 2000;
        const int Writers = 4;
        var events = TestEvents.Exposures(Ids);
        var writers = Enumerable.Range(0, Writers).Select(w => Store()).ToList();
        var feed = new PostgresEventFeed(Database());
        await feed.ReadAfterAsync(0, 1, Ct);

        // Each writer sends every id, starting a quarter further on, in batches of 100 that other writers send too.
        var writing = Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            var (accepted, duplicates, stored) = (0, 0, new List<StoredEvent>());
            foreach (var batch in events.Skip(w * Ids / Writers).Concat(events.Take(w * Ids / Writers)).Chunk(100))
            {
                var result = await store.AppendAsync(batch, Ct);
                (accepted, duplicates) = (accepted + result.Accepted, duplicates + result.Duplicates);
                stored.AddRange(result.Stored!);
            }

            return (accepted, duplicates, stored);
        }, Ct)));
        var seen = new List<StoredEvent>();
        while (!writing.IsCompleted || await feed.ReadAfterAsync(seen.Count > 0 ? seen[^1].Position : 0, 1, Ct) is { Count: > 0 })
        {
            seen.AddRange(await feed.ReadAfterAsync(seen.Count > 0 ? seen[^1].Position : 0, 70, Ct));
        }

        var results = await writing;

        Assert.Equal((Ids, (Writers - 1) * Ids), (results.Sum(r => r.accepted), results.Sum(r => r.duplicates)));
        Assert.Equal(events.Select(e => e.Id).Order(), seen.Select(e => e.Event.Id).Order());
        Assert.Equal(Enumerable.Range(1, Ids).Select(p => (long)p), seen.Select(e => e.Position));
        Assert.Equal(seen.Select(e => (e.Position, e.Event.Id)), results.SelectMany(r => r.stored).OrderBy(e => e.Position).Select(e => (e.Position, e.Event.Id)));
    }

    // Holds the events' lock, as a batch between recording its positions and its commit does.
    private async Task<NpgsqlTransaction> HoldEventsLockAsync()
    {
        var connection = postgres.Own(new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString));
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await using var command = new NpgsqlCommand(PostgresLocks.LockEvents, connection, transaction);
        await command.ExecuteNonQueryAsync(Ct);
        return transaction;
    }

    // A connection (not pooled) whose open transaction has inserted an event with the id (batch -1, recorded only by
    // RecordHeldAsync): a batch COPYing the same id waits for the transaction to end.
    private async Task<NpgsqlTransaction> HoldIdAsync(string id)
    {
        var connection = postgres.Own(new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString));
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await using var command = new NpgsqlCommand($"""
            INSERT INTO events (experiment, type, ts, id, variant, unit, batch, ord) VALUES ('prompt-opt-v2', 'exposure', now(), '{id}', 'control', 'u-holder', -1, 0);
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(Ct);
        return transaction;
    }

    // Records the held batch as a writer would before committing (no other writer records meanwhile in these tests).
    private static async Task RecordHeldAsync(NpgsqlTransaction holder)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO event_batches (batch, first, last) SELECT -1, after + 1, after + 1 FROM (SELECT COALESCE(MAX(last), 0) AS after FROM event_batches) committed;",
            holder.Connection, holder);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task WaitUntilBlockedAsync(string application)
    {
        while (!Equals(true, postgres.Scalar(
            $"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '{postgres.Schema}-{application}' AND wait_event_type = 'Lock')")))
        {
            await Task.Delay(10, Ct);
        }
    }

    // The COPY's rows go out 64 KB at a time, so by the 2,000th of 3,000 events PostgreSQL has received some; a failure
    // there must cancel the COPY, not complete it (which disposing a raw COPY stream does): committing after it then
    // stores nothing, and the connection is still usable.
    [Fact]
    public async Task CopyAsync_FailsAfterRowsWereSent_CancelsTheCopy()
    {
        await using var connection = await Database().OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        var events = new FaultyList<ExperimentEvent>(TestEvents.Exposures(3000), 2000, () => throw new IOException("encoding failed"));

        var failure = await Assert.ThrowsAsync<IOException>(() => PostgresEventAppend.CopyAsync(connection, events, batch: 1, Ct));
        await transaction.CommitAsync(Ct);
        await using var check = new NpgsqlCommand("SELECT COUNT(*) FROM events", connection);

        Assert.Equal("encoding failed", failure.Message);
        Assert.Equal(0L, await check.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task RunAsync_Serialised_CountsAStoredIdAsDuplicateAndTakesTheNextPositions()
    {
        // The serialised attempt is reached in the store only when a lock-free retry deadlocks; run it directly.
        await Store().AppendAsync(TestEvents.Exposures(2, "s"), Ct);
        await using var connection = await Database().OpenAsync(Ct);
        ExperimentEvent[] batch = [TestEvents.Exposure("u-new-0", "n-0"), TestEvents.Exposure("u-s1", "s-1"), TestEvents.Exposure("u-new-1", "n-1")];

        var result = await PostgresEventAppend.RunAsync(connection, batch, PostgresEventAppend.AppendMode.Serialised, Ct);
        var feed = await new PostgresEventFeed(Database()).ReadAfterAsync(0, 100, Ct);

        Assert.Equal((2, 1), (result.Accepted, result.Duplicates));
        Assert.Equal([(3L, "n-0"), (4L, "n-1")], result.Stored!.Select(e => (e.Position, e.Event.Id!)));
        Assert.Equal([(1L, "s-0"), (2L, "s-1"), (3L, "n-0"), (4L, "n-1")], feed.Select(e => (e.Position, e.Event.Id!)));
    }

    private PostgresEventStore Store(string? application = null) => new(Database(application));

    // Its own database (connection pool), as another server would have; a short deadlock timeout, as writers sending the
    // same ids can deadlock and retry.
    private PostgresDatabase Database(string? application = null) => postgres.Own(new PostgresDatabase(
        new NpgsqlConnectionStringBuilder(postgres.ConnectionString)
        {
            ApplicationName = application is null ? null : $"{postgres.Schema}-{application}",
            Options = "-c deadlock_timeout=100ms",
        }.ConnectionString));
}
