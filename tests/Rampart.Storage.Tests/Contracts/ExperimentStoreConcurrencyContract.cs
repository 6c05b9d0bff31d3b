using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IExperimentStore"/> must do under racing writers: separate store instances over one database
/// (as separate processes would have) never both win, and every successful command leaves exactly one audit entry.
/// </summary>
public abstract class ExperimentStoreConcurrencyContract : ExperimentStoreTestBase
{
    [Fact]
    public async Task UpdateAsync_SameVersionFromFourStoresAtOnce_ExactlyOneSucceeds()
    {
        var running = await CreateRunningAsync(CreateStore(), "prompt-opt-v2");
        var changes = new[]
        {
            Rollout.Advance(running, T0.AddDays(7), "w0"),
            Rollout.Rollback(running, "variant_a", "errors", T0.AddDays(7), "w1"),
            Rollout.Pause(running, T0.AddDays(7), "w2"),
            Rollout.Promote(running, "variant_b", T0.AddDays(7), "w3"),
        };
        var start = new Rendezvous(changes.Length);

        var outcomes = await Task.WhenAll(changes.Select(change =>
        {
            var store = CreateStore();
            return Task.Run(async () =>
            {
                await start.ArriveAsync().WaitAsync(Ct);
                try
                {
                    await store.UpdateAsync(change.Experiment, change.Audit, Ct);
                    return change;
                }
                catch (ExperimentConflictException)
                {
                    return null;
                }
            }, Ct);
        }));

        var winner = Assert.Single(outcomes, o => o is not null)!;
        var sut = CreateStore();
        ExperimentAssert.Same(winner.Experiment, await sut.FindAsync("prompt-opt-v2", Ct));
        Assert.Equal(winner.Audit.Who, (await sut.AuditAsync("prompt-opt-v2", Ct))[^1].Who);
        Assert.Equal(3, (await sut.AuditAsync("prompt-opt-v2", Ct)).Count);
    }

    [Fact]
    public async Task ApplyAsync_AdvanceRacingRollbackFromTwoStores_LeavesOneAuditEntryEachAndConsistentState()
    {
        await CreateRunningAsync(CreateStore(), "prompt-opt-v2");
        var gate = new Rendezvous(2);
        var time = new FixedTimeProvider(T0.AddDays(7));
        var advance = new RolloutCommands(new GatedExperimentStore(CreateStore(), gate), time);
        var rollback = new RolloutCommands(new GatedExperimentStore(CreateStore(), gate), time);

        var results = await Task.WhenAll(
            Task.Run(() => advance.ApplyAsync("prompt-opt-v2", (e, now) => Rollout.Advance(e, now, "cli"), Ct), Ct),
            Task.Run(() => rollback.ApplyAsync("prompt-opt-v2", (e, now) => Rollout.Rollback(e, "variant_b", "errors", now, "monitor"), Ct), Ct));

        var sut = CreateStore();
        var stored = await sut.FindAsync("prompt-opt-v2", Ct);
        var audit = await sut.AuditAsync("prompt-opt-v2", Ct);
        var last = results.Single(r => r.Experiment.Version == 4);
        ExperimentAssert.Same(last.Experiment, stored);
        Assert.Equal([AuditAction.Create, AuditAction.Start], audit.Take(2).Select(a => a.Action));
        Assert.Equal([AuditAction.Advance, AuditAction.Rollback], audit.Skip(2).Select(a => a.Action).Order());
        Assert.Equal(last.Audit.Action, audit[^1].Action);
        Assert.Equal([8000, 2000, 0], stored!.Current.Table.Counts);
        Assert.Equal([0, 1, 2], stored.Allocations.Select(a => a.Index));
        Assert.Equal(1, stored.Stage);
        Assert.True(stored.IsRolledBack("variant_b"));
    }

    [Fact]
    public async Task ApplyAsync_FourRacingCommands_EachSucceedsOnceWithOneAuditEntry()
    {
        await CreateRunningAsync(CreateStore(), "prompt-opt-v2");
        var gate = new Rendezvous(4);
        var time = new FixedTimeProvider(T0.AddDays(7));
        var commands = new Func<Experiment, DateTimeOffset, RolloutChange>[]
        {
            (e, now) => Rollout.Advance(e, now, "advance-1"),
            (e, now) => Rollout.Advance(e, now, "advance-2"),
            (e, now) => Rollout.Rollback(e, "variant_a", "errors", now, "rollback-a"),
            (e, now) => Rollout.Rollback(e, "variant_b", "latency", now, "rollback-b"),
        };

        var results = await Task.WhenAll(commands.Select(command =>
        {
            var sut = new RolloutCommands(new GatedExperimentStore(CreateStore(), gate), time);
            return Task.Run(() => sut.ApplyAsync("prompt-opt-v2", command, Ct), Ct);
        }));

        var store = CreateStore();
        var stored = await store.FindAsync("prompt-opt-v2", Ct);
        var audit = await store.AuditAsync("prompt-opt-v2", Ct);
        Assert.Equal(["advance-1", "advance-2", "rollback-a", "rollback-b"], audit.Skip(2).Select(a => a.Who).Order());
        Assert.Equal([3L, 4, 5, 6], results.Select(r => r.Experiment.Version).Order());
        Assert.Equal(audit.Count, stored!.Version);
        ExperimentAssert.Same(results.Single(r => r.Experiment.Version == 6).Experiment, stored);
        Assert.Equal([10_000, 0, 0], stored.Current.Table.Counts);
        Assert.Equal((2, 5), (stored.Stage, stored.Allocations.Length));
    }
}
