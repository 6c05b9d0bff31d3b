using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Alerts;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Server.Experiments;
using Rampart.Server.Health;
using Rampart.Server.Monitor;
using Rampart.Server.Results;
using Rampart.Testing;
using static Rampart.Server.Tests.Monitor.RolloutMonitorTests;

namespace Rampart.Server.Tests.Monitor;

/// <summary>
/// What the monitor guards when listing the store is partial (one stored experiment cannot be read) or fails (the store
/// cannot be listed): every readable running experiment, from the first pass after a restart, with /healthz naming the rest.
/// </summary>
public sealed class RolloutMonitorListingTests
{
    // A stored definition the parser refuses (no variants, no stages), as a hand edit or a partial restore leaves it.
    private const string DamageDefinition = """UPDATE experiments SET definition = '{"key":"monitor-damaged"}' WHERE key = 'monitor-damaged';""";

    [Fact]
    public async Task CheckAll_OneStoredExperimentNoLongerReadable_TheOthersAreStillGuardedAndHealthzSaysMonitorFailing()
    {
        // One experiment row that cannot be read any more (edited by hand, restored in part, written by a newer version)
        // must not switch off the guard of the others, and /healthz names it until it is mended.
        await using var sut = await TestHost.StartAsync();
        var monitor = sut.Services.GetRequiredService<RolloutMonitor>();
        await sut.CreateExperimentAsync(Failing("monitor-damaged", "variant_b"));
        await sut.CreateExperimentAsync(Failing("monitor-guarded", "variant_b"));
        await monitor.CheckAllAsync();
        var definition = (string)StoreSql.Scalar(null, sut.DatabasePath, "SELECT definition FROM experiments WHERE key = 'monitor-damaged';")!;
        Assert.Equal(1, StoreSql.Execute(null, sut.DatabasePath, DamageDefinition));

        await PostFailuresAsync(sut, "monitor-guarded", "variant_b", 300);
        await monitor.CheckAllAsync();
        var degraded = await sut.Anonymous.GetStringAsync("/healthz");
        StoreSql.Execute(null, sut.DatabasePath, $"UPDATE experiments SET definition = '{definition.Replace("'", "''", StringComparison.Ordinal)}' WHERE key = 'monitor-damaged';");
        await monitor.CheckAllAsync();

        Assert.True((await sut.Experiments.FindAsync("monitor-guarded"))!.IsRolledBack("variant_b"), "the readable experiment's guardrail did not act");
        Assert.Contains("\"monitor_failing\"", degraded, StringComparison.Ordinal);
        Assert.Contains("'monitor-damaged'", degraded, StringComparison.Ordinal);
        Assert.DoesNotContain("monitor_failing", await sut.Anonymous.GetStringAsync("/healthz"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAll_FreshMonitorAndOneStoredExperimentUnreadable_GuardsTheOthersFromItsFirstPass()
    {
        // A monitor that has never listed (a restarted server's) has no earlier listing to fall back on: the readable
        // experiments must be guarded from its first pass all the same. The clock never moves, so the hosted monitor stays idle.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        await sut.CreateExperimentAsync(Failing("monitor-damaged", "variant_b"));
        await sut.CreateExperimentAsync(Failing("monitor-guarded", "variant_b"));
        Assert.Equal(1, StoreSql.Execute(null, sut.DatabasePath, DamageDefinition));
        await PostFailuresAsync(sut, "monitor-guarded", "variant_b", 300);
        var fresh = FreshMonitor(sut, sut.Experiments, time);

        await fresh.CheckAllAsync();

        Assert.True((await sut.Experiments.FindAsync("monitor-guarded"))!.IsRolledBack("variant_b"), "a fresh monitor did not guard the readable experiment");
        Assert.Contains("'monitor-damaged'", await sut.Anonymous.GetStringAsync("/healthz"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAll_StoreCannotBeListedAfterAGoodListing_TheExperimentsRunningThenAreStillChecked()
    {
        // Listing the store fails (a timeout, a broken connection) while one row can still be read and written: the
        // experiments running at the last listing stay guarded, and /healthz says listing fails.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        await sut.CreateExperimentAsync(Failing("monitor-listed", "variant_b"));
        var store = new UnlistableStore(sut.Experiments);
        var monitor = FreshMonitor(sut, store, time);
        await monitor.CheckAllAsync();
        store.ListFails = true;
        await PostFailuresAsync(sut, "monitor-listed", "variant_b", 300);

        await monitor.CheckAllAsync();

        Assert.True((await sut.Experiments.FindAsync("monitor-listed"))!.IsRolledBack("variant_b"), "the guardrail did not act while listing failed");
        Assert.Contains("Listing the experiments to check failed", await sut.Anonymous.GetStringAsync("/healthz"), StringComparison.Ordinal);
    }

    // A monitor of its own over the server's services (and store), that has never listed: a restarted server's.
    private static RolloutMonitor FreshMonitor(TestHost sut, IExperimentStore store, TimeProvider time)
    {
        var services = sut.Services;
        return new RolloutMonitor(
            store, services.GetRequiredService<ResultsTracker>(), services.GetRequiredService<EventFollower>(),
            services.GetRequiredService<ExperimentSnapshots>(), services.GetRequiredService<IMonitorLease>(), services.GetRequiredService<IAlertSink>(),
            time, services.GetRequiredService<ServerHealth>(), services.GetRequiredService<ILogger<RolloutMonitor>>());
    }

    [Fact]
    public Task Restart_OneStoredExperimentUnreadable_TheOtherIsGuardedAndHealthzNamesTheUnreadable() =>
        RestartWithOneUnreadableAsync(postgres: null);

    [Fact]
    public async Task Restart_OnPostgres_OneStoredExperimentUnreadable_TheOtherIsGuardedAndHealthzNamesTheUnreadable()
    {
        using var postgres = new TestPostgres();
        await RestartWithOneUnreadableAsync(postgres);
    }

    // A server restarts on a store where one experiment's row can no longer be read: it has no earlier listing to fall back
    // on, yet the other running experiment must be guarded from its first pass, and /healthz must name the unreadable one.
    private static async Task RestartWithOneUnreadableAsync(TestPostgres? postgres)
    {
        using var folder = new TempDirectory();
        var storage = StoreSql.Settings(postgres);
        await using (var before = await TestHost.StartAsync(storage, folder: folder))
        {
            await before.CreateExperimentAsync(Failing("monitor-damaged", "variant_b"));
            await before.CreateExperimentAsync(Failing("monitor-guarded", "variant_b"));
        }

        Assert.Equal(1, StoreSql.Execute(postgres, folder.File("rampart.db"), DamageDefinition));
        await using var sut = await TestHost.StartAsync(storage, folder: folder);
        await PostFailuresAsync(sut, "monitor-guarded", "variant_b", 300);
        await sut.Services.GetRequiredService<RolloutMonitor>().CheckAllAsync();

        Assert.True((await sut.Experiments.FindAsync("monitor-guarded"))!.IsRolledBack("variant_b"), "the readable experiment's guardrail did not act after the restart");
        var health = await sut.Anonymous.GetStringAsync("/healthz");
        Assert.Contains("\"monitor_failing\"", health, StringComparison.Ordinal);
        Assert.Contains("'monitor-damaged'", health, StringComparison.Ordinal);
    }

    // A store whose listing fails while ListFails, as a listing that times out; a single experiment is still read and written.
    private sealed class UnlistableStore(IExperimentStore inner) : IExperimentStore
    {
        public bool ListFails { get; set; }

        public Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default) =>
            ListFails ? throw new TimeoutException("listing the experiments timed out") : inner.ListAsync(cancellationToken);

        public Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) => inner.CreateAsync(experiment, audit, cancellationToken);

        public Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default) => inner.FindAsync(key, cancellationToken);

        public Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) => inner.UpdateAsync(experiment, audit, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default) => inner.AuditAsync(key, cancellationToken);
    }
}
