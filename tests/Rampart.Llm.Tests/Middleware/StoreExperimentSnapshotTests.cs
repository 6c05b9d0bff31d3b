using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Rollouts;
using Rampart.Llm.Middleware;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Middleware;

public sealed class StoreExperimentSnapshotTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);
    private readonly InMemoryExperimentStore store = new(SeedExperiment.Running());

    [Fact]
    public async Task GetAsync_WithinTheInterval_ReadsTheStoreOnce()
    {
        var sut = new StoreExperimentSnapshot(store, Interval, time);

        var first = await sut.GetAsync("prompt-opt-v2");
        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        var second = await sut.GetAsync("prompt-opt-v2");

        Assert.Same(first, second);
        Assert.Equal(1, store.Finds);
    }

    [Fact]
    public async Task GetAsync_AfterTheInterval_ServesTheNewVersion()
    {
        var sut = new StoreExperimentSnapshot(store, Interval, time);
        await sut.GetAsync("prompt-opt-v2");
        store.Put(Rollout.Pause(SeedExperiment.Running(), SeedExperiment.Epoch, "test").Experiment);

        time.Advance(Interval);
        var refreshed = await sut.GetAsync("prompt-opt-v2");

        // The store answers at once, so the refresh this call started has finished by the time it returns.
        Assert.Equal(ExperimentState.Paused, refreshed!.Experiment.State);
        Assert.Equal(2, store.Finds);
    }

    [Fact]
    public async Task GetAsync_StoreFailsOnRefresh_KeepsServingTheLastSnapshot()
    {
        var sut = new StoreExperimentSnapshot(store, Interval, time);
        var first = await sut.GetAsync("prompt-opt-v2");
        store.Failing = true;

        time.Advance(Interval);
        await sut.GetAsync("prompt-opt-v2");
        var second = await sut.GetAsync("prompt-opt-v2");

        Assert.Same(first, second);
        Assert.Equal(2, store.Finds);
    }

    [Fact]
    public async Task GetAsync_UnknownExperiment_NullUntilItExists()
    {
        var sut = new StoreExperimentSnapshot(store, Interval, time);

        Assert.Null(await sut.GetAsync("later"));
        store.Put(SeedExperiment.Running("later"));
        Assert.Null(await sut.GetAsync("later"));
        time.Advance(Interval);
        Assert.NotNull(await sut.GetAsync("later"));
    }
}
