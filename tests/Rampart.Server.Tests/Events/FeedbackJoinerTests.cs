using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Server.Events;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Server.Tests.Events;

/// <summary>How feedback waiting for its completion stays within <c>feedback.max_pending</c>.</summary>
public sealed class FeedbackJoinerTests
{
    [Fact]
    public async Task OnStored_WhileTheEventQueueIsFull_TheJoinedFeedbackStillCountsAgainstMaxPendingUntilQueued()
    {
        using var folder = new TempDirectory();
        var database = new SqliteDatabase(folder.File("events.db"));
        var queue = new EventQueue(Options.Create(new EventOptions { QueueCapacity = 4 }));
        var budget = new PendingFeedbackBudget(Options.Create(new FeedbackOptions { MaxPending = 1 }));
        var sut = new FeedbackJoiner(new SqliteEventFeed(database), new SqlitePendingFeedbackStore(database), queue, budget, NullLogger<FeedbackJoiner>.Instance);
        var events = new SqliteEventStore(database);

        // The writer falls behind: the queue is full. A piece of feedback waits for its completion, which is then stored
        // (by another server) and read by the follower; its join cannot be queued, so it is held in memory.
        Assert.True(queue.TryReserve(queue.Capacity));
        Assert.Equal(FeedbackStatus.Pending, (await sut.SubmitAsync(Feedback("f-1", "req-1"), CancellationToken.None)).Status);
        var completion = Completion("req-1");
        await events.AppendAsync([completion]);
        sut.OnStored(completion);

        // It is still held, so the limit of one is reached: more feedback for an unknown call is refused, not kept beside it.
        var over = await sut.SubmitAsync(Feedback("f-2", "req-2"), CancellationToken.None);

        // Once the queue has room the join is queued, and the room it held is free again.
        queue.Release(queue.Capacity);
        sut.RetryReady();
        var after = await sut.SubmitAsync(Feedback("f-3", "req-3"), CancellationToken.None);
        Assert.Equal((FeedbackStatus.TooManyPending, FeedbackStatus.Pending, 1L), (over.Status, after.Status, queue.Depth));
    }

    [Fact]
    public async Task SubmitAsync_CompletionJoinedWhileTheFeedbackIsBeingRemembered_TheFeedbackIsJoinedToo()
    {
        using var folder = new TempDirectory();
        var database = new SqliteDatabase(folder.File("events.db"));
        var queue = new EventQueue(Options.Create(new EventOptions { QueueCapacity = 4 }));
        var budget = new PendingFeedbackBudget(Options.Create(new FeedbackOptions()));
        var pending = new SqlitePendingFeedbackStore(database);
        var sut = new FeedbackJoiner(new SqliteEventFeed(database), pending, queue, budget, NullLogger<FeedbackJoiner>.Instance);
        var events = new SqliteEventStore(database);

        // A piece of feedback waits for its completion, and the writer falls behind: the queue is full.
        Assert.Equal(FeedbackStatus.Pending, (await sut.SubmitAsync(Feedback("f-1", "req-1"), CancellationToken.None)).Status);
        Assert.True(queue.TryReserve(queue.Capacity));

        // A second piece for the same call is kept, and found the call's waiting list, just as the follower reads the call's
        // completion and joins that list. The list's lock, taken here first, holds the second piece between finding the
        // list and adding itself to it; the follower's join goes ahead on this thread, which holds the lock. (The SQLite
        // stores complete synchronously, so the submitting thread waits only for the lock.)
        FeedbackOutcome? second = null;
        var submitting = new Thread(() => second = sut.SubmitAsync(Feedback("f-2", "req-1"), CancellationToken.None).GetAwaiter().GetResult());
        StoreAndJoinWhileHeld(sut, WaitingList(sut, "req-1"), submitting, () => pending.ListAsync().GetAwaiter().GetResult().Count == 2,
            Completion("req-1"), completion => events.AppendAsync([completion]).GetAwaiter().GetResult());
        submitting.Join();

        // Its second look finds the completion and, the queue being full, leaves the join for when it has room.
        Assert.Equal(FeedbackStatus.Pending, second!.Status);
        queue.Release(queue.Capacity);
        sut.RetryReady();
        while (queue.Reader.TryRead(out var batch))
        {
            batch.Complete(await events.AppendAsync(batch.Events));
            queue.Done(batch.Events.Count);
        }

        var feedback = new List<string?>();
        await foreach (var e in events.ReadAsync("joined"))
        {
            feedback.AddRange(e.Type == EventType.Feedback ? [e.Id] : []);
        }

        Assert.Equal(["f-1", "f-2"], feedback.Order(StringComparer.Ordinal));
        await Eventually.TrueAsync(async () => (await pending.ListAsync()).Count == 0);
        Assert.Equal((0, 0), (sut.WaitingCount, budget.Count));
    }

    // Starts submitting while holding list's lock, waits until it has kept its feedback (kept) and waits for the lock, then
    // stores the completion and joins it (OnStored, on this thread: the lock is held again). Synchronous, since the lock is
    // held across it.
    private static void StoreAndJoinWhileHeld(
        FeedbackJoiner joiner, List<PendingFeedback> list, Thread submitting, Func<bool> kept, ExperimentEvent completion, Action<ExperimentEvent> store)
    {
        lock (list)
        {
            submitting.Start();
            Assert.True(SpinWait.SpinUntil(kept, TimeSpan.FromSeconds(30)));
            Assert.True(SpinWait.SpinUntil(() => (submitting.ThreadState & ThreadState.WaitSleepJoin) != 0, TimeSpan.FromSeconds(30)));
            store(completion);
            joiner.OnStored(completion);
        }
    }

    // The joiner's list of feedback waiting for requestId's completion: the object its joins lock.
    private static List<PendingFeedback> WaitingList(FeedbackJoiner joiner, string requestId) =>
        ((ConcurrentDictionary<string, List<PendingFeedback>>)typeof(FeedbackJoiner)
            .GetField("waiting", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(joiner)!)[requestId];

    private static PendingFeedback Feedback(string id, string requestId) => new(id, requestId, "thumbs", 1, null, SeedExperiment.Epoch);

    private static ExperimentEvent Completion(string requestId) => new()
    {
        Type = EventType.Completion, Experiment = "joined", Variant = "variant_a", Unit = "u-1", Id = "c-" + requestId,
        RequestId = requestId, Ts = SeedExperiment.Epoch, LatencyMs = 10,
    };
}
