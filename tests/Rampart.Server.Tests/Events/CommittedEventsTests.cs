using Rampart.Core.Events;
using Rampart.Server.Events;

namespace Rampart.Server.Tests.Events;

public sealed class CommittedEventsTests
{
    [Fact]
    public void TakeAfter_ConsecutivePositions_TakesThemAcrossCommitsInOrder()
    {
        var sut = new CommittedEvents();
        sut.Add(Stored(11, 12, 13));
        sut.Add(Stored(14, 15));

        var taken = sut.TakeAfter(10, 100);

        Assert.Equal([11L, 12, 13, 14, 15], taken.Select(e => e.Position));
        Assert.Equal(0, sut.Waiting);
    }

    [Fact]
    public void TakeAfter_CommitsAddedOutOfOrder_TakesThemInPositionOrder()
    {
        // Two transactions open side by side: the later commit's events can be handed over first.
        var sut = new CommittedEvents();
        sut.Add(Stored(16, 17));
        sut.Add(Stored(11, 12, 13));
        sut.Add(Stored(14, 15));

        Assert.Equal([11L, 12, 13, 14, 15, 16, 17], sut.TakeAfter(10, 100).Select(e => e.Position));
        Assert.Equal(0, sut.Waiting);
    }

    [Fact]
    public void TakeAfter_AnotherWritersEventsComeFirst_TakesNothingUntilTheStoreHasBeenRead()
    {
        var sut = new CommittedEvents();
        sut.Add(Stored(21, 22));

        // Positions 11–20 belong to another writer: only the store has them.
        Assert.Empty(sut.TakeAfter(10, 100));
        Assert.Equal(2, sut.Waiting);

        // The store read reached 21: the rest continues it.
        Assert.Equal([22L], sut.TakeAfter(21, 100).Select(e => e.Position));
    }

    [Fact]
    public void NextAfter_WaitingEventsAfterAGap_GivesTheFirstAndDropsStaleOnes()
    {
        var sut = new CommittedEvents();
        sut.Add(Stored(11, 12));
        sut.Add(Stored(21, 22));

        Assert.Equal(21L, sut.NextAfter(15));
        Assert.Equal(2, sut.Waiting);
        Assert.Null(sut.NextAfter(22));
        Assert.Equal(0, sut.Waiting);
    }

    [Fact]
    public void TakeAfter_GapInsideTheWaitingEvents_StopsAtTheGap()
    {
        var sut = new CommittedEvents();
        sut.Add(Stored(11, 12));
        sut.Add(Stored(20, 21));

        Assert.Equal([11L, 12], sut.TakeAfter(10, 100).Select(e => e.Position));
        Assert.Empty(sut.TakeAfter(12, 100));
        Assert.Empty(sut.TakeAfter(25, 100));
        Assert.Equal(0, sut.Waiting); // 20 and 21 were read from the store meanwhile: dropped
    }

    [Fact]
    public void TakeAfter_AtMostMax_LeavesTheRestForTheNextCall()
    {
        var sut = new CommittedEvents();
        sut.Add(Stored(1, 2, 3, 4, 5));

        Assert.Equal([1L, 2], sut.TakeAfter(0, 2).Select(e => e.Position));
        Assert.Equal([3L, 4, 5], sut.TakeAfter(2, 10).Select(e => e.Position));
    }

    [Fact]
    public void Add_PastCapacity_DropsTheOldestCommitsForTheStoreToSupply()
    {
        var sut = new CommittedEvents();
        var half = CommittedEvents.Capacity / 2;
        sut.Add(Stored([.. Enumerable.Range(1, half).Select(i => (long)i)]));
        sut.Add(Stored([.. Enumerable.Range(half + 1, half).Select(i => (long)i)]));
        sut.Add(Stored(CommittedEvents.Capacity + 1));

        Assert.Equal(half + 1, sut.Waiting);
        Assert.Empty(sut.TakeAfter(0, 10)); // the first commit is gone: positions 1… come from the store
    }

    private static List<StoredEvent> Stored(params long[] positions) =>
        [.. positions.Select(p => new StoredEvent(p, new ExperimentEvent
        {
            Type = EventType.Exposure, Experiment = "e", Variant = "control", Unit = $"u-{p}", Ts = DateTimeOffset.UnixEpoch, Id = $"id-{p}",
        }))];
}
