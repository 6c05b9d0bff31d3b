using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Alerts;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Server.Monitor;
using Rampart.Testing;

namespace Rampart.Server.Tests.Monitor;

public sealed class RolloutMonitorTests
{
    private const string Messages = """[{"role":"user","content":"hello"}]""";

    [Fact]
    public async Task HostedMonitor_FailingSimVariant_RolledBackOnceByMonitorWithMetricsAndAlert()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var alerts = new CapturingAlertSink();
        await using var sut = await TestHost.StartAsync(services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IAlertSink>(alerts);
        });
        const string key = "monitor-fails";
        await sut.CreateExperimentAsync(Failing(key, "variant_b"));

        // Real gateway calls to the simulated provider: variant_b fails half its requests, the others never.
        for (var i = 0; i < 400; i++)
        {
            using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
                TestHost.Json($$"""{"model":"experiment:{{key}}","user":"user-{{i / 2}}","messages":{{Messages}}}"""));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.InternalServerError);
        }

        await Eventually.TrueAsync(time, TimeSpan.FromMinutes(1), async () => (await sut.Experiments.FindAsync(key))!.IsRolledBack("variant_b"),
            TimeSpan.FromSeconds(60), () => Task.FromResult("the monitor did not roll variant_b back"));
        time.Advance(TimeSpan.FromMinutes(3));
        await Task.Delay(200);

        var audit = await sut.Experiments.AuditAsync(key);
        var rollback = Assert.Single(audit, a => a.Action == AuditAction.Rollback);
        Assert.Equal(("monitor", "variant_b"), (rollback.Who, rollback.Variant));
        Assert.Contains("max_error_rate", rollback.Reason, StringComparison.Ordinal);
        Assert.True(rollback.Metrics["error_rate"] > 0.05);
        Assert.True(rollback.Metrics["statistic"] >= rollback.Metrics["boundary"]);
        var alert = Assert.Single(alerts.Alerts);
        Assert.Equal(("rollback", "variant_b", key), (alert.Kind, alert.Variant, alert.Experiment));
        Assert.Contains("variant_b", alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(audit, a => a.Action == AuditAction.Rollback && a.Variant != "variant_b");
    }

    [Fact]
    public async Task ManualRollbackAndAdvance_RacingTheMonitor_OneAuditEntryPerAppliedChange()
    {
        await using var sut = await TestHost.StartAsync();
        var monitor = sut.Services.GetRequiredService<RolloutMonitor>();
        for (var round = 0; round < 4; round++)
        {
            var key = $"monitor-race-{round}";
            await sut.CreateExperimentAsync(Failing(key, "variant_b"));
            await PostFailuresAsync(sut, key, "variant_b", 300);

            // Both racers want variant_b rolled back; the API also advances the stage.
            var checks = Task.Run(() => monitor.CheckExperimentAsync(key));
            using var manual = await sut.Admin.PostAsync($"/api/experiments/{key}/rollback", TestHost.Json("""{"variant":"variant_b","reason":"by hand"}"""));
            using var advance = await sut.Admin.PostAsync($"/api/experiments/{key}/advance", null);
            await checks;
            await monitor.CheckExperimentAsync(key);

            Assert.True(manual.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict);
            Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
            var experiment = (await sut.Experiments.FindAsync(key))!;
            var audit = await sut.Experiments.AuditAsync(key);
            Assert.True(experiment.IsRolledBack("variant_b"));
            Assert.Equal(1, experiment.Stage);
            Assert.Equal([80m, 20m, 0m], experiment.CurrentWeights.Select(w => w.Percent));
            Assert.Single(audit, a => a.Action == AuditAction.Rollback);
            Assert.Single(audit, a => a.Action == AuditAction.Advance);
            Assert.Equal(experiment.Version, audit.Count);
        }
    }

    [Fact]
    public async Task Monitor_RolledBackVariantStillFailing_NeitherActsAgainNorFails()
    {
        await using var sut = await TestHost.StartAsync();
        var monitor = sut.Services.GetRequiredService<RolloutMonitor>();
        const string key = "monitor-again";
        await sut.CreateExperimentAsync(Failing(key, "variant_b"));
        await PostFailuresAsync(sut, key, "variant_b", 300);

        var first = await monitor.CheckExperimentAsync(key);
        var second = await monitor.CheckExperimentAsync(key);

        Assert.Equal("variant_b", Assert.Single(first).Variant);
        Assert.Empty(second);
        Assert.Single(await sut.Experiments.AuditAsync(key), a => a.Action == AuditAction.Rollback);
    }

    [Fact]
    public async Task CheckAll_OneExperimentsCheckThrows_HealthzSaysMonitorFailingAndTheOthersAreStillGuarded()
    {
        var lease = new BreakableLease("monitor-broken");
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<IMonitorLease>(lease));
        var monitor = sut.Services.GetRequiredService<RolloutMonitor>();
        await sut.CreateExperimentAsync(Failing("monitor-broken", "variant_b"));
        await sut.CreateExperimentAsync(Failing("monitor-guarded", "variant_b"));
        await PostFailuresAsync(sut, "monitor-guarded", "variant_b", 300);

        await monitor.CheckAllAsync();
        using var degraded = await sut.Anonymous.GetAsync("/healthz");
        var degradedBody = await degraded.Content.ReadAsStringAsync();
        lease.Broken = false;
        await monitor.CheckAllAsync();
        using var healed = await sut.Anonymous.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode); // the gateway still serves and records: no reason to leave rotation
        Assert.Contains("\"monitor_failing\"", degradedBody, StringComparison.Ordinal);
        Assert.Contains("'monitor-broken'", degradedBody, StringComparison.Ordinal);
        Assert.True((await sut.Experiments.FindAsync("monitor-guarded"))!.IsRolledBack("variant_b"), "the other experiment's guardrail did not act");
        Assert.DoesNotContain("monitor_failing", await healed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static async Task PostFailuresAsync(TestHost sut, string key, string variant, int count)
    {
        var body = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"type":"completion","experiment":"{{key}}","variant":"{{variant}}","unit":"u-{{i}}","request_id":"{{key}}-r-{{i}}","ts":"2026-11-01T00:00:00Z","stage":0,"latency_ms":800,"error":{{(i % 2 == 0 ? "\"boom\"" : "null")}}}""");
        }

        using var response = await sut.Ingest.PostAsync("/api/events", TestHost.Json(body.Append(']').ToString()));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static string Failing(string key, string failing) => $$"""
        { "key": "{{key}}", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "sim-small", "params": { "sim": { "error_rate": 0 } } },
            "variant_a": { "provider": "sim", "model": "sim-large", "params": { "sim": { "error_rate": 0 } } },
            "variant_b": { "provider": "sim", "model": "sim-large", "params": { "sim": { "error_rate": {{(failing == "variant_b" ? "0.5" : "0")}} } } } },
          "stages": [ { "weights": { "control": 50, "variant_a": 25, "variant_b": 25 } },
                      { "weights": { "control": 80, "variant_a": 20, "variant_b": 0 } } ] }
        """;

    [Fact]
    public async Task CheckExperiment_WhileAnotherCheckOfItRunsInThisServer_WaitsForItAndChecksRatherThanSkipping()
    {
        // The first check stalls inside its lease until released; the second, made meanwhile (as a test's or the demo's
        // explicit check racing the background one), must still be made once the first is done, not turned away as if
        // another server held the experiment.
        var lease = new StallingLease();
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<IMonitorLease>(lease));
        var monitor = sut.Services.GetRequiredService<RolloutMonitor>();
        const string key = "monitor-waits";
        await sut.CreateExperimentAsync(Failing(key, "variant_b"));
        await PostFailuresAsync(sut, key, "variant_b", 300);

        lease.Stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = monitor.CheckExperimentAsync(key);
        await lease.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = monitor.CheckExperimentAsync(key);
        await Task.Delay(200);
        Assert.False(second.IsCompleted, "the second check returned while the first still held the experiment");
        lease.Stall.SetResult();

        await first;
        await second;
        Assert.True(lease.Granted >= 2, $"the lease was granted {lease.Granted} time(s)");
        Assert.True((await sut.Experiments.FindAsync(key))!.IsRolledBack("variant_b"));
    }

    [Fact]
    public async Task CheckDue_ACheckFailedAfterItBegan_IsRetriedAtTheNextTickNotACheckIntervalLater()
    {
        var lease = new BreakableLease("monitor-retried", failOnRelease: true);
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<IMonitorLease>(lease));
        var monitor = sut.Services.GetRequiredService<RolloutMonitor>();
        await sut.CreateExperimentAsync(Failing("monitor-retried", "variant_b"));

        await monitor.CheckDueAsync();
        var degraded = await sut.Anonymous.GetStringAsync("/healthz");
        lease.Broken = false;
        await monitor.CheckDueAsync();

        Assert.Contains("'monitor-retried'", degraded, StringComparison.Ordinal);
        Assert.DoesNotContain("monitor_failing", await sut.Anonymous.GetStringAsync("/healthz"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckDue_WallClockSteppedBackAfterACheck_StillChecksOnceCheckIntervalHasElapsed()
    {
        // The wall clock is stepped back an hour (NTP, a VM resumed, an operator) while two minutes pass: the guard must
        // not stay off until the wall clock catches up with the last check.
        var clock = new SteppingClock(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await sut.CreateExperimentAsync(Failing("monitor-clock-back", "variant_b"));

        var rolledBack = await FailuresRolledBackAsync(sut, "monitor-clock-back", () => clock.Step(wall: TimeSpan.FromHours(-1), elapsed: TimeSpan.FromMinutes(2)));

        Assert.True(rolledBack, "the guardrail did not act after the clock went back");
    }

    [Fact]
    public async Task CheckDue_CheckIntervalOfYears_StillChecksWithinMaxCheckInterval()
    {
        // check_interval "1000000d" is a valid duration: taken as it is, the guard would check once at the start and never again.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        await sut.CreateExperimentAsync(Failing("monitor-years", "variant_b").Replace(
            "\"control\": \"control\",", "\"control\": \"control\", \"guardrails\": { \"check_interval\": \"1000000d\" },", StringComparison.Ordinal));

        var rolledBack = await FailuresRolledBackAsync(sut, "monitor-years", () => time.Advance(RolloutMonitor.MaxCheckInterval));

        Assert.True(rolledBack, "the guardrail waited for its check_interval of years");
    }

    // A due check; then variant_b fails 300 calls, the time passes as passTime says, and the due checks run again:
    // whether the guardrail rolled variant_b back.
    private static async Task<bool> FailuresRolledBackAsync(TestHost sut, string key, Action passTime)
    {
        var monitor = sut.Services.GetRequiredService<RolloutMonitor>();
        await monitor.CheckDueAsync();
        await PostFailuresAsync(sut, key, "variant_b", 300);
        passTime();
        await monitor.CheckDueAsync();
        return (await sut.Experiments.FindAsync(key))!.IsRolledBack("variant_b");
    }

    // A clock whose wall time and monotonic time move apart, as the system clock's do when the wall clock is stepped.
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private readonly Lock gate = new();
        private DateTimeOffset wall = start;
        private long timestamp;

        public override DateTimeOffset GetUtcNow()
        {
            lock (gate)
            {
                return wall;
            }
        }

        public override long GetTimestamp()
        {
            lock (gate)
            {
                return timestamp;
            }
        }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Step(TimeSpan wall, TimeSpan elapsed)
        {
            lock (gate)
            {
                this.wall += wall;
                timestamp += elapsed.Ticks;
            }
        }
    }

    // A lease that refuses while held, as another server's (PostgreSQL's advisory lock) does, with a first grant that stalls
    // until released.
    private sealed class StallingLease : IMonitorLease
    {
        private int held;
        private int granted;

        public TaskCompletionSource? Stall { get; set; }

        public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Granted => Volatile.Read(ref granted);

        public async Task<IAsyncDisposable?> TryAcquireAsync(string experiment, CancellationToken cancellationToken = default)
        {
            if (Interlocked.CompareExchange(ref held, 1, 0) != 0)
            {
                return null;
            }

            Interlocked.Increment(ref granted);
            if (Stall is { } stall && !stall.Task.IsCompleted)
            {
                Stalled.TrySetResult();
                await stall.Task.WaitAsync(cancellationToken);
            }

            return new Release(this);
        }

        private sealed class Release(StallingLease lease) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                Volatile.Write(ref lease.held, 0);
                return ValueTask.CompletedTask;
            }
        }
    }

    // A lease whose acquisition throws for one experiment while Broken: a check failing the way a store error would.
    private sealed class BreakableLease(string brokenKey, bool failOnRelease = false) : IMonitorLease
    {
        public bool Broken { get; set; } = true;

        public Task<IAsyncDisposable?> TryAcquireAsync(string experiment, CancellationToken cancellationToken = default) =>
            Broken && experiment == brokenKey && !failOnRelease
                ? throw new InvalidOperationException("the lease table is unreadable")
                : Task.FromResult<IAsyncDisposable?>(new Held(this, failOnRelease && experiment == brokenKey));

        // failOnRelease: the check itself is made, and fails at its end (as a store write failing after the decision).
        private sealed class Held(BreakableLease lease, bool fail) : IAsyncDisposable
        {
            public ValueTask DisposeAsync() =>
                fail && lease.Broken ? throw new InvalidOperationException("the lease could not be released") : ValueTask.CompletedTask;
        }
    }
}
