using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Analysis.Tests.Monitoring;

public sealed class RolloutActuatorTests
{
    private static readonly MonitorAction RollbackB = new(
        MonitorActionKind.Rollback, "variant_b", "max_error_rate: 12.0% > 5%",
        ImmutableSortedDictionary<string, double>.Empty.Add("error_rate", 0.12).Add("requests", 400));

    private static readonly MonitorAction Hold = new(
        MonitorActionKind.SrmHold, null, "sample ratio mismatch in stage 1 (p = 0.0001)",
        ImmutableSortedDictionary<string, double>.Empty.Add("p_value", 0.0001));

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch.AddHours(1));
    private readonly CapturingAlertSink alerts = new();

    [Fact]
    public async Task ActAsync_RollbackStillDue_StoresOneAuditEntryWithMetricsAndAlertsOnce()
    {
        var store = new RacingExperimentStore(SeedExperiment.Running());
        var sut = new RolloutActuator(store, RollbackWhileServed, alerts, time);

        var result = await sut.ActAsync(store.Experiment, RollbackB);

        Assert.True(result.Applied);
        Assert.True(store.Experiment.IsRolledBack("variant_b"));
        var rollback = Assert.Single(await store.AuditAsync(store.Experiment.Key));
        Assert.Equal((AuditAction.Rollback, MonitorChanges.Who, "variant_b", time.GetUtcNow()), (rollback.Action, rollback.Who, rollback.Variant, rollback.Ts));
        Assert.Equal(RollbackB.Metrics, rollback.Metrics);
        var alert = Assert.Single(alerts.Alerts);
        Assert.Equal(("rollback", "variant_b", time.GetUtcNow()), (alert.Kind, alert.Variant, alert.Ts));
        Assert.Equal("Rampart: rolled back 'variant_b' of 'prompt-opt-v2': max_error_rate: 12.0% > 5%", alert.Text);
        Assert.Equal(RollbackB.Metrics, alert.Metrics);
    }

    [Fact]
    public async Task ActAsync_RolledBackByHandBetweenDecideAndApply_DropsTheRollbackWithoutAuditOrAlert()
    {
        var decided = SeedExperiment.Running();
        var store = new RacingExperimentStore(decided);
        var manual = Rollout.Rollback(decided, "variant_b", "by hand", time.GetUtcNow(), "admin");
        await store.UpdateAsync(manual.Experiment, manual.Audit);
        var sut = new RolloutActuator(store, RollbackWhileServed, alerts, time);

        var result = await sut.ActAsync(decided, RollbackB);

        Assert.False(result.Applied);
        Assert.Null(result.Change);
        Assert.Contains("no longer due", result.Dropped, StringComparison.Ordinal);
        Assert.Equal("admin", Assert.Single(await store.AuditAsync(decided.Key)).Who);
        Assert.Empty(alerts.Alerts);
    }

    [Fact]
    public async Task ActAsync_RolledBackByHandWhileWriting_DecidesAgainAndDropsTheRollbackWithoutAuditOrAlert()
    {
        var store = new RacingExperimentStore(SeedExperiment.Running())
        {
            Racer = current => Rollout.Rollback(current, "variant_b", "by hand", SeedExperiment.Epoch.AddMinutes(30), "admin"),
        };
        var sut = new RolloutActuator(store, RollbackWhileServed, alerts, time);

        var result = await sut.ActAsync(store.Experiment, RollbackB);

        Assert.False(result.Applied);
        Assert.True(store.Experiment.IsRolledBack("variant_b"));
        Assert.Equal("admin", Assert.Single(await store.AuditAsync(store.Experiment.Key)).Who);
        Assert.Empty(alerts.Alerts);
    }

    [Fact]
    public async Task ActAsync_OutracedOnEveryAttempt_ThrowsTheConflictRatherThanDroppingTheRollbackAsNoLongerDue()
    {
        // Another writer (a script setting targeting) lands a change before each of the monitor's writes: the rollback is
        // still due, it was just not stored, so the monitor must hear of a failure (and try again at its next tick).
        var store = new RacingExperimentStore(SeedExperiment.Running())
        {
            Racer = current => Rollout.SetTargeting(current, null, SeedExperiment.Epoch.AddMinutes(30), "admin"),
            Races = int.MaxValue,
        };
        var sut = new RolloutActuator(store, RollbackWhileServed, alerts, time);

        await Assert.ThrowsAsync<ExperimentConflictException>(() => sut.ActAsync(store.Experiment, RollbackB));

        Assert.False(store.Experiment.IsRolledBack("variant_b"));
        Assert.Empty(alerts.Alerts);
    }

    [Fact]
    public async Task ActAsync_SampleRatioHoldAtEveryCheck_AlertsOncePerStageAndStoresNothing()
    {
        var store = new RacingExperimentStore(SeedExperiment.Running());
        var sut = new RolloutActuator(store, (_, _) => new MonitorDecision([Hold], []), alerts, time);

        var first = await sut.ActAsync(store.Experiment, Hold);
        var again = await sut.ActAsync(store.Experiment, Hold);
        var advanced = Rollout.Advance(store.Experiment, time.GetUtcNow(), "admin");
        await store.UpdateAsync(advanced.Experiment, advanced.Audit);
        var nextStage = await sut.ActAsync(store.Experiment, Hold);

        Assert.Equal((true, false, true), (first.Applied, again.Applied, nextStage.Applied));
        Assert.Equal(["admin"], (await store.AuditAsync(store.Experiment.Key)).Select(a => a.Who));
        Assert.Equal(2, alerts.Alerts.Count);
        var alert = alerts.Alerts.First();
        Assert.Equal(("srm", null, "Rampart: 'prompt-opt-v2' holds promotion and advance: sample ratio mismatch in stage 1 (p = 0.0001)"),
            (alert.Kind, alert.Variant, alert.Text));
    }

    private static MonitorDecision RollbackWhileServed(Experiment experiment, DateTimeOffset now) =>
        experiment.IsRolledBack("variant_b") ? MonitorDecision.None([]) : new MonitorDecision([RollbackB], []);
}
