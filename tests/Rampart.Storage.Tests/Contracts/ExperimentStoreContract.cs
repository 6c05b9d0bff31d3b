using FsCheck;
using FsCheck.Fluent;
using Rampart.Core.Allocation;
using Rampart.Core.Audit;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>What every <see cref="IExperimentStore"/> must do: round trips, conflicts, the audit log.</summary>
public abstract class ExperimentStoreContract : ExperimentStoreTestBase
{
    [Fact]
    public async Task FindAsync_AfterCreate_ReturnsExperimentUnchanged()
    {
        var sut = CreateStore();
        var draft = Draft("prompt-opt-v2");

        await sut.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);

        ExperimentAssert.Same(draft, await sut.FindAsync("prompt-opt-v2", Ct));
    }

    [Fact]
    public async Task FindAsync_AfterFullRollout_ReturnsEveryRangeTableBucketForBucket()
    {
        var sut = CreateStore();
        var expected = await CreateRunningAsync(sut, "prompt-opt-v2");
        var steps = new Func<Experiment, RolloutChange>[]
        {
            e => Rollout.Advance(e, T0.AddDays(7), "cli"),
            e => Rollout.Rollback(e, "variant_b", "p95 latency 2.1× control's \"p95\" → rolled back", T0.AddDays(8), "monitor",
                new Dictionary<string, double> { ["p95_ratio"] = 2.1, ["requests"] = 420 }),
            e => Rollout.SetStage(e, StageWeights.Parse("control=55.55,variant_a=44.45,variant_b=0", e.Definition.VariantNames), T0.AddDays(9), "cli"),
            e => Rollout.Advance(e, T0.AddDays(14), "cli"),
            e => Rollout.Promote(e, "variant_a", T0.AddDays(21), "cli"),
        };
        foreach (var step in steps)
        {
            var change = step(expected);
            await sut.UpdateAsync(change.Experiment, change.Audit, Ct);
            expected = change.Experiment;
        }

        var actual = await sut.FindAsync("prompt-opt-v2", Ct);

        ExperimentAssert.Same(expected, actual);
        Assert.Equal((ExperimentState.Completed, "variant_a", 7L), (actual!.State, actual.Winner, actual.Version));
        Assert.Equal(6, actual.Allocations.Length);
        Assert.Contains(actual.Allocations[2].Table.ToRanges(), r => r.RolledBack);
    }

    [Fact]
    public void FindAsync_RandomRolloutHistories_ReturnsExactlyWhatWasStored()
    {
        var sut = CreateStore();
        var run = 0;
        var steps = Gen.ListOf(
            from command in Gen.Frequency((10, Gen.Choose(0, 4)), (1, Gen.Constant(5)))
            from numbers in Gen.ArrayOf(Gen.Choose(0, 100), 3)
            select (command, numbers));

        Prop.ForAll(steps.ToArbitrary(), async commands =>
        {
            var key = $"prop-{++run}";
            var expected = Draft(key);
            await sut.CreateAsync(expected, Rollout.Created(expected, "cli"), Ct);
            var now = T0;
            foreach (var (command, numbers) in commands)
            {
                now = now.AddSeconds(1).AddTicks(10);
                if (TryApply(expected, command, numbers, now) is { } change)
                {
                    await sut.UpdateAsync(change.Experiment, change.Audit, Ct);
                    expected = change.Experiment;
                }
            }

            ExperimentAssert.Same(expected, await CreateStore().FindAsync(key, Ct));
            Assert.Equal(expected.Version, (await sut.AuditAsync(key, Ct)).Count);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task FindAsync_FromAnotherStoreInstance_SeesCommittedChanges()
    {
        var writer = CreateStore();
        var running = await CreateRunningAsync(writer, "prompt-opt-v2");
        var sut = CreateStore();

        ExperimentAssert.Same(running, await sut.FindAsync("prompt-opt-v2", Ct));
    }

    [Fact]
    public async Task FindAsync_UnknownKey_ReturnsNull()
    {
        var sut = CreateStore();

        Assert.Null(await sut.FindAsync("nope", Ct));
    }

    [Fact]
    public async Task ListAsync_SeveralExperiments_ReturnsAllByKey()
    {
        var sut = CreateStore();
        var running = await CreateRunningAsync(sut, "m-exp");
        foreach (var key in new[] { "z-exp", "a-exp" })
        {
            var draft = Draft(key);
            await sut.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);
        }

        var listed = await sut.ListAsync(Ct);

        var all = listed.Experiments;
        Assert.Equal(["a-exp", "m-exp", "z-exp"], all.Select(e => e.Key));
        ExperimentAssert.Same(running, all[1]);
        ExperimentAssert.Same(Draft("z-exp"), all[2]);
        Assert.Empty(listed.Unreadable);
    }

    [Fact]
    public async Task ListAsync_Empty_ReturnsNothing()
    {
        var sut = CreateStore();

        var listed = await sut.ListAsync(Ct);

        Assert.Empty(listed.Experiments);
        Assert.Empty(listed.Unreadable);
    }

    [Fact]
    public async Task CreateAsync_DuplicateKey_ThrowsConflictAndKeepsTheFirst()
    {
        var sut = CreateStore();
        var first = Draft("prompt-opt-v2");
        await sut.CreateAsync(first, Rollout.Created(first, "alice"), Ct);
        var second = Experiment.CreateDraft(SeedExperiment.Definition("prompt-opt-v2") with { Name = "Other" }, T0.AddDays(1));

        var ex = await Assert.ThrowsAsync<ExperimentConflictException>(() => CreateStore().CreateAsync(second, Rollout.Created(second, "bob"), Ct));

        Assert.Equal("Experiment 'prompt-opt-v2' already exists.", ex.Message);
        ExperimentAssert.Same(first, await sut.FindAsync("prompt-opt-v2", Ct));
        Assert.Equal(["alice"], (await sut.AuditAsync("prompt-opt-v2", Ct)).Select(a => a.Who));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ThrowsConflictAndWritesNothing()
    {
        var sut = CreateStore();
        var running = await CreateRunningAsync(sut, "prompt-opt-v2");
        var advanced = Rollout.Advance(running, T0.AddDays(7), "alice");
        await sut.UpdateAsync(advanced.Experiment, advanced.Audit, Ct);
        var stale = Rollout.Rollback(running, "variant_a", "errors", T0.AddDays(8), "bob");

        var ex = await Assert.ThrowsAsync<ExperimentConflictException>(() => sut.UpdateAsync(stale.Experiment, stale.Audit, Ct));

        Assert.Equal("Experiment 'prompt-opt-v2' changed since it was read; try again.", ex.Message);
        ExperimentAssert.Same(advanced.Experiment, await sut.FindAsync("prompt-opt-v2", Ct));
        Assert.Equal([AuditAction.Create, AuditAction.Start, AuditAction.Advance], (await sut.AuditAsync("prompt-opt-v2", Ct)).Select(a => a.Action));
    }

    [Fact]
    public async Task UpdateAsync_VersionSkipped_ThrowsConflict()
    {
        var sut = CreateStore();
        var running = await CreateRunningAsync(sut, "prompt-opt-v2");
        var change = Rollout.Advance(running, T0.AddDays(7), "cli");

        await Assert.ThrowsAsync<ExperimentConflictException>(() =>
            sut.UpdateAsync(change.Experiment with { Version = change.Experiment.Version + 1 }, change.Audit, Ct));

        Assert.Equal(2, (await sut.FindAsync("prompt-opt-v2", Ct))!.Version);
    }

    [Fact]
    public async Task UpdateAsync_UnknownKey_ThrowsNotFound()
    {
        var sut = CreateStore();
        var change = Rollout.Start(Draft("ghost"), T0, "cli");

        var ex = await Assert.ThrowsAsync<ExperimentNotFoundException>(() => sut.UpdateAsync(change.Experiment, change.Audit, Ct));

        Assert.Equal("ghost", ex.Key);
    }

    [Fact]
    public async Task AuditAsync_SeveralChanges_ReturnsThemOldestFirstWithEveryField()
    {
        var sut = CreateStore();
        var draft = Draft("prompt-opt-v2");
        var entries = new List<AuditEntry> { Rollout.Created(draft, "cli") };
        await sut.CreateAsync(draft, entries[0], Ct);
        var metrics = new Dictionary<string, double> { ["error_rate"] = 0.091, ["requests"] = 420, ["tiny"] = 1e-300, ["nan"] = double.NaN };
        var experiment = draft;
        foreach (var step in new Func<Experiment, RolloutChange>[]
        {
            e => Rollout.Start(e, T0.AddMinutes(1), "admin-key"),
            e => Rollout.Rollback(e, "variant_a", "error rate 9.1% > 5% — «stop»", T0.AddMinutes(2).AddTicks(10), "monitor", metrics),
            e => Rollout.Pause(e, T0.AddMinutes(3), "cli"),
        })
        {
            var change = step(experiment);
            await sut.UpdateAsync(change.Experiment, change.Audit, Ct);
            experiment = change.Experiment;
            entries.Add(change.Audit);
        }

        var audit = await sut.AuditAsync("prompt-opt-v2", Ct);

        Assert.Equal(entries.Count, audit.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var (want, got) = (entries[i], audit[i]);
            Assert.Equal((want.Experiment, want.Ts, want.Who, want.Action, want.Variant, want.Reason), (got.Experiment, got.Ts, got.Who, got.Action, got.Variant, got.Reason));
            Assert.Equal(want.Metrics, got.Metrics);
        }
    }

    [Fact]
    public async Task AuditAsync_IsPerExperiment()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "first");
        var draft = Draft("second");
        await sut.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);

        Assert.Equal([AuditAction.Create, AuditAction.Start], (await sut.AuditAsync("first", Ct)).Select(a => a.Action));
        Assert.Equal([AuditAction.Create], (await sut.AuditAsync("second", Ct)).Select(a => a.Action));
        Assert.Empty(await sut.AuditAsync("third", Ct));
    }

    /// <summary>Start, pause, advance, roll back, set weights or promote, as <paramref name="command"/> says; null when the state forbids it.</summary>
    private static RolloutChange? TryApply(Experiment experiment, int command, int[] numbers, DateTimeOffset now)
    {
        var names = experiment.Definition.VariantNames;
        try
        {
            return command switch
            {
                0 => Rollout.Start(experiment, now, "cli"),
                1 => Rollout.Pause(experiment, now, "cli"),
                2 => Rollout.Advance(experiment, now, "cli"),
                3 => Rollout.Rollback(experiment, names[1 + (numbers[0] % 2)], $"guardrail {numbers[1]}", now, "monitor",
                    new Dictionary<string, double> { ["error_rate"] = numbers[2] / 100.0 }),
                4 => Rollout.SetStage(experiment, Weights(experiment, numbers), now, "cli"),
                _ => Rollout.Promote(experiment, names[numbers[0] % 3], now, "cli"),
            };
        }
        catch (Exception e) when (e is RolloutException or ExperimentValidationException)
        {
            return null;
        }
    }

    /// <summary>Arbitrary weights summing to 100%, rolled-back variants at 0.</summary>
    private static Weight[] Weights(Experiment experiment, int[] numbers)
    {
        var raw = numbers.Select((n, i) => experiment.IsRolledBack(experiment.Definition.VariantNames[i]) ? 0 : n).ToArray();
        var sum = raw.Sum();
        var buckets = raw.Select(n => sum == 0 ? 0 : n * Weight.TotalBuckets / sum).ToArray();
        buckets[0] += Weight.TotalBuckets - buckets.Sum();
        return [.. buckets.Select(b => new Weight(b))];
    }
}
