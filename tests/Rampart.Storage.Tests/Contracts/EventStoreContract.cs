using FsCheck;
using FsCheck.Fluent;
using Rampart.Core.Events;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IEventStore"/> must do. A backend's test class derives from this and supplies stores; every
/// store it returns within one test shares that test's (empty at first) database.
/// </summary>
public abstract class EventStoreContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store instance over this test's database.</summary>
    protected abstract IEventStore CreateStore();

    [Fact]
    public async Task ReadAsync_AfterAppend_ReturnsEveryFieldUnchanged()
    {
        var sut = CreateStore();
        ExperimentEvent[] events = [TestEvents.Exposure("user-1"), TestEvents.Completion("user-1", "c-1"), TestEvents.Feedback("user-1", "f-1")];

        var result = await sut.AppendAsync(events, Ct);

        Assert.Equal((3, 0), Counts(result));
        Assert.Equal(events, await ReadAllAsync(sut, "prompt-opt-v2"));
    }

    [Fact]
    public async Task ReadAsync_AttributesShadowAndPairId_KeptAsGiven()
    {
        var sut = CreateStore();
        ExperimentEvent[] events =
        [
            TestEvents.Exposure("user-1") with { Attributes = """{"plan":"pro","seats":12,"beta":true}""" },
            TestEvents.Completion("user-1", "served-1") with { Variant = "control", RequestId = "r-1", PairId = "r-1" },
            TestEvents.Completion("user-1", "shadow-1") with { RequestId = "shadow-r-1", Shadow = true, PairId = "r-1" },
            TestEvents.Feedback("user-1", "judge-1") with { Shadow = true, PairId = "r-1", RequestId = "shadow-r-1", Source = "judge" },
        ];

        await sut.AppendAsync(events, Ct);

        Assert.Equal(events, await ReadAllAsync(sut, "prompt-opt-v2"));
    }

    [Fact]
    public async Task ReadAsync_NullableFieldsUnset_ReturnsThemNull()
    {
        var sut = CreateStore();
        var bare = new ExperimentEvent { Type = EventType.Completion, Experiment = "x", Variant = "v", Unit = "u", Ts = TestEvents.T0 };

        await sut.AppendAsync([bare], Ct);

        Assert.Equal(bare, Assert.Single(await ReadAllAsync(sut, "x")));
    }

    [Fact]
    public async Task ReadAsync_Extra_KeepsTheJsonTextVerbatim()
    {
        var sut = CreateStore();
        var completion = TestEvents.Completion("user-1");

        await sut.AppendAsync([completion], Ct);

        Assert.Equal(completion.Extra, Assert.Single(await ReadAllAsync(sut, "prompt-opt-v2")).Extra);
    }

    [Fact]
    public async Task ReadAsync_InterleavedExperiments_ReturnsOneExperimentInInsertionOrder()
    {
        var sut = CreateStore();
        await sut.AppendAsync([TestEvents.Exposure("b", experiment: "one"), TestEvents.Exposure("z", experiment: "two"), TestEvents.Exposure("a", experiment: "one")], Ct);
        await sut.AppendAsync([TestEvents.Exposure("c", experiment: "two"), TestEvents.Exposure("0", experiment: "one")], Ct);

        Assert.Equal(["b", "a", "0"], (await ReadAllAsync(sut, "one")).Select(e => e.Unit));
        Assert.Equal(["z", "c"], (await ReadAllAsync(sut, "two")).Select(e => e.Unit));
        Assert.Empty(await ReadAllAsync(sut, "three"));
    }

    [Fact]
    public async Task AppendAsync_IdStoredByEarlierBatch_CountsDuplicateAndStoresOnce()
    {
        var sut = CreateStore();
        await sut.AppendAsync([TestEvents.Exposure("user-1", "id-1")], Ct);

        var result = await CreateStore().AppendAsync([TestEvents.Exposure("user-1-again", "id-1"), TestEvents.Exposure("user-2", "id-2")], Ct);

        Assert.Equal((1, 1), Counts(result));
        Assert.Equal(["user-1", "user-2"], (await ReadAllAsync(sut, "prompt-opt-v2")).Select(e => e.Unit));
    }

    [Fact]
    public async Task AppendAsync_IdRepeatedWithinBatch_CountsDuplicateAndStoresFirst()
    {
        var sut = CreateStore();

        var result = await sut.AppendAsync(
            [TestEvents.Exposure("first", "id-1"), TestEvents.Exposure("other", "id-2"), TestEvents.Exposure("second", "id-1"), TestEvents.Exposure("third", "id-1")], Ct);

        Assert.Equal((2, 2), Counts(result));
        Assert.Equal(["first", "other"], (await ReadAllAsync(sut, "prompt-opt-v2")).Select(e => e.Unit));
    }

    [Fact]
    public async Task AppendAsync_IdsAcrossExperiments_AreOneNamespace()
    {
        var sut = CreateStore();

        var result = await sut.AppendAsync([TestEvents.Exposure("a", "id-1", "one"), TestEvents.Exposure("b", "id-1", "two")], Ct);

        Assert.Equal((1, 1), Counts(result));
    }

    [Fact]
    public async Task AppendAsync_EventsWithoutId_AreNeverDuplicates()
    {
        var sut = CreateStore();
        var exposure = TestEvents.Exposure("user-1");

        var first = await sut.AppendAsync([exposure, exposure], Ct);
        var second = await sut.AppendAsync([exposure], Ct);

        Assert.Equal(((2, 0), (1, 0)), (Counts(first), Counts(second)));
        Assert.Equal(3, (await ReadAllAsync(sut, "prompt-opt-v2")).Count);
    }

    [Fact]
    public async Task AppendAsync_Empty_StoresNothing()
    {
        var sut = CreateStore();

        Assert.Equal((0, 0), Counts(await sut.AppendAsync([], Ct)));
    }

    [Fact]
    public async Task AppendAsync_ConstraintViolatedPartWay_ThrowsAndStoresNothing()
    {
        var sut = CreateStore();
        var batch = TestEvents.Exposures(1000);
        batch[600] = batch[600] with { Experiment = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => sut.AppendAsync(batch, Ct));

        Assert.Empty(await ReadAllAsync(sut, "prompt-opt-v2"));
    }

    [Fact]
    public async Task AppendAsync_FailsPartWay_StoresNothingAndARetryStoresAll()
    {
        var sut = CreateStore();
        var batch = TestEvents.Exposures(1000);

        await Assert.ThrowsAsync<IOException>(() => sut.AppendAsync(new FaultyList<ExperimentEvent>(batch, 500, () => throw new IOException("disk gone")), Ct));

        Assert.Empty(await ReadAllAsync(sut, "prompt-opt-v2"));
        Assert.Equal((1000, 0), Counts(await sut.AppendAsync(batch, Ct)));
    }

    [Fact]
    public async Task AppendAsync_CancelledPartWay_StoresNothing()
    {
        var sut = CreateStore();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var batch = new FaultyList<ExperimentEvent>(TestEvents.Exposures(1000), 500, cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.AppendAsync(batch, cancel.Token));

        Assert.Empty(await ReadAllAsync(sut, "prompt-opt-v2"));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentBatchesFromTwoStores_StoreEachEventOnce()
    {
        var events = TestEvents.Exposures(2000);
        var stores = new[] { CreateStore(), CreateStore() };

        // Both stores send every event, in opposite orders: each id must be stored once, whoever gets it first.
        var results = await Task.WhenAll(
            Task.Run(() => AppendInBatchesAsync(stores[0], events), Ct),
            Task.Run(() => AppendInBatchesAsync(stores[1], [.. Enumerable.Reverse(events)]), Ct));

        Assert.Equal(2000, results.Sum(r => r.Accepted));
        Assert.Equal(2000, results.Sum(r => r.Duplicates));
        Assert.Equal(events.Select(e => e.Id).Order(), (await ReadAllAsync(stores[0], "prompt-opt-v2")).Select(e => e.Id).Order());
    }

    [Fact]
    public void AppendAsync_ArbitraryBatches_StoresEachIdOnceAndReadsBackUnchanged()
    {
        var sut = CreateStore();
        var run = 0;

        Prop.ForAll(EventGen.Batch.ToArbitrary(), async generated =>
        {
            var key = $"prop-{++run}";
            var batch = generated.Select(e => e with { Experiment = key, Id = e.Id is null ? null : $"{key}/{e.Id}" }).ToList();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var expected = batch.Where(e => e.Id is null || ids.Add(e.Id)).ToList();

            var result = await sut.AppendAsync(batch, Ct);

            Assert.Equal((expected.Count, batch.Count - expected.Count), Counts(result));
            Assert.Equal(expected, await ReadAllAsync(sut, key));
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>A result's counts (a store may also report the stored events, which these tests do not compare).</summary>
    protected static (int Accepted, int Duplicates) Counts(AppendResult result) => (result.Accepted, result.Duplicates);

    protected static async Task<List<ExperimentEvent>> ReadAllAsync(IEventStore store, string experiment)
    {
        var events = new List<ExperimentEvent>();
        await foreach (var e in store.ReadAsync(experiment, Ct))
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task<AppendResult> AppendInBatchesAsync(IEventStore store, List<ExperimentEvent> events)
    {
        var (accepted, duplicates) = (0, 0);
        foreach (var batch in events.Chunk(100))
        {
            var result = await store.AppendAsync(batch, Ct);
            (accepted, duplicates) = (accepted + result.Accepted, duplicates + result.Duplicates);
        }

        return new AppendResult(accepted, duplicates);
    }
}
