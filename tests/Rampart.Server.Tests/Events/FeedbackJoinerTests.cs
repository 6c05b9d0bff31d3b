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

    private static PendingFeedback Feedback(string id, string requestId) => new(id, requestId, "thumbs", 1, null, SeedExperiment.Epoch);

    private static ExperimentEvent Completion(string requestId) => new()
    {
        Type = EventType.Completion, Experiment = "joined", Variant = "variant_a", Unit = "u-1", Id = "c-" + requestId,
        RequestId = requestId, Ts = SeedExperiment.Epoch, LatencyMs = 10,
    };
}
