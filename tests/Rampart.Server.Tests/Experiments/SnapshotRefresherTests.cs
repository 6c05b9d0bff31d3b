using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Server.Experiments;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Server.Tests.Experiments;

/// <summary>How a server's snapshots follow changes made elsewhere: at once when the store announces them.</summary>
public sealed class SnapshotRefresherTests
{
    [Fact]
    public async Task ChangeAnnouncedWhileARefreshReads_RefreshesAgainWithoutWaitingForThePoll()
    {
        using var folder = new TempDirectory();
        var store = new HeldListStore(new SqliteExperimentStore(new SqliteDatabase(folder.File("experiments.db"))));
        var draft = SeedExperiment.Draft("announced-start");
        await store.CreateAsync(draft, Rollout.Created(draft, "test"));
        var snapshots = new ExperimentSnapshots(store);
        var changes = new AnnouncedChanges();
        // The poll's clock never moves: only an announcement can bring a refresh.
        using var refresher = new SnapshotRefresher(snapshots, changes, new FakeTimeProvider(SeedExperiment.Epoch), NullLogger<SnapshotRefresher>.Instance);
        await refresher.StartAsync(CancellationToken.None);
        try
        {
            // A change is announced (the draft's creation elsewhere); the refresh it brings reads the draft, and is held
            // there while the start commits and is announced.
            await Eventually.TrueAsync(() => changes.Waits > 0, TimeSpan.FromSeconds(10));
            var reading = store.HoldNextList();
            changes.Announce();
            await reading.WaitAsync(TimeSpan.FromSeconds(10));
            var started = Rollout.Start(draft, SeedExperiment.Epoch, "test");
            await store.UpdateAsync(started.Experiment, started.Audit);
            changes.Announce();
            store.Release();

            await Eventually.TrueAsync(
                async () => (await snapshots.FindAsync(draft.Key, CancellationToken.None))!.Experiment.Version == started.Experiment.Version,
                TimeSpan.FromSeconds(10),
                failure: async () => $"still serving version {(await snapshots.FindAsync(draft.Key, CancellationToken.None))!.Experiment.Version}");
        }
        finally
        {
            store.Release();
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ChangeSignalFails_TheRefresherKeepsPollingAndAsksTheSignalAgainEachTick(bool throws)
    {
        using var folder = new TempDirectory();
        var store = new SqliteExperimentStore(new SqliteDatabase(folder.File("experiments.db")));
        var draft = SeedExperiment.Draft("signal-fails");
        await store.CreateAsync(draft, Rollout.Created(draft, "test"));
        var snapshots = new ExperimentSnapshots(store);
        var changes = new FailingChanges(throws);
        var time = new FakeTimeProvider(SeedExperiment.Epoch);
        var logger = new ListLogger<SnapshotRefresher> { Minimum = LogLevel.Warning };
        using var refresher = new SnapshotRefresher(snapshots, changes, time, logger);
        await refresher.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => changes.Asked > 0, TimeSpan.FromSeconds(10));
            var started = Rollout.Start(draft, SeedExperiment.Epoch, "test");
            await store.UpdateAsync(started.Experiment, started.Audit);

            // The poll alone brings the start: one tick of the clock.
            time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(
                async () => (await snapshots.FindAsync(draft.Key, CancellationToken.None))!.Experiment.Version == started.Experiment.Version,
                TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => changes.Asked >= 2, TimeSpan.FromSeconds(10));
            time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(() => changes.Asked >= 3, TimeSpan.FromSeconds(10));

            Assert.False(refresher.ExecuteTask!.IsCompleted);
            await Task.Delay(200);
            Assert.Equal(3, changes.Asked); // once a tick, not in a loop
            Assert.Single(logger.Entries); // one warning for the outage, not one a second
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A signal that fails every wait: by throwing, or with a faulted task.</summary>
    private sealed class FailingChanges(bool throws) : IExperimentChangeSignal
    {
        private int asked;

        public int Asked => Volatile.Read(ref asked);

        public Task NextChangeAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref asked);
            var error = new InvalidOperationException("the change feed is gone");
            return throws ? throw error : Task.FromException(error);
        }
    }

    /// <summary>Announcements as PostgreSQL's LISTEN delivers them: each completes the waits taken before it, and no later one.</summary>
    private sealed class AnnouncedChanges : IExperimentChangeSignal
    {
        private readonly Lock gate = new();
        private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int waits;

        public int Waits => Volatile.Read(ref waits);

        public Task NextChangeAsync(CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                waits++;
                return next.Task.WaitAsync(cancellationToken);
            }
        }

        public void Announce()
        {
            TaskCompletionSource fired;
            lock (gate)
            {
                fired = next;
                next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            fired.TrySetResult();
        }
    }

    /// <summary>A store whose next list, once asked for, reads and then waits for <see cref="Release"/> before returning.</summary>
    private sealed class HeldListStore(IExperimentStore inner) : IExperimentStore
    {
        private readonly ListHold hold = new();

        public Task HoldNextList() => hold.HoldNext();

        public void Release() => hold.Release();

        public Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default) =>
            hold.ListAsync(() => inner.ListAsync(cancellationToken), cancellationToken);

        public Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) => inner.CreateAsync(experiment, audit, cancellationToken);

        public Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default) => inner.FindAsync(key, cancellationToken);

        public Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) => inner.UpdateAsync(experiment, audit, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default) => inner.AuditAsync(key, cancellationToken);
    }
}
