using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;

namespace Rampart.Storage;

/// <summary>
/// Every store of one database, opened by <see cref="RampartStorage.Open"/>; disposing it closes the database (PostgreSQL's
/// connections and change listener; a SQLite file needs no closing).
/// </summary>
public sealed class RampartStores : IAsyncDisposable, IDisposable
{
    private readonly IAsyncDisposable? database;

    internal RampartStores(
        IExperimentStore experiments, IEventStore events, IEventFeed eventFeed, IPendingFeedbackStore pendingFeedback,
        IQuarantineStore quarantine, ICheckpointStore checkpoints, IEventRetention retention, IKeyStore keys, IMonitorLease? monitorLease, IExperimentChangeSignal? changes, IAsyncDisposable? database)
    {
        Experiments = experiments;
        Events = events;
        EventFeed = eventFeed;
        PendingFeedback = pendingFeedback;
        Quarantine = quarantine;
        Checkpoints = checkpoints;
        Retention = retention;
        Keys = keys;
        MonitorLease = monitorLease;
        Changes = changes;
        this.database = database;
    }

    /// <summary>Experiments, their ranges and the audit log.</summary>
    public IExperimentStore Experiments { get; }

    /// <summary>Exposures, completions and feedback.</summary>
    public IEventStore Events { get; }

    /// <summary>The stored events in order, for followers.</summary>
    public IEventFeed EventFeed { get; }

    /// <summary>Feedback waiting for its completion.</summary>
    public IPendingFeedbackStore PendingFeedback { get; }

    /// <summary>Events the results follower set aside.</summary>
    public IQuarantineStore Quarantine { get; }

    /// <summary>Checkpoints of the results' aggregates.</summary>
    public ICheckpointStore Checkpoints { get; }

    /// <summary>Deletes old events a checkpoint covers.</summary>
    public IEventRetention Retention { get; }

    /// <summary>API keys (hashed).</summary>
    public IKeyStore Keys { get; }

    /// <summary>
    /// The monitor's lease shared by the servers of the database (an advisory lock per experiment on PostgreSQL); null on
    /// SQLite, whose one server leases in memory.
    /// </summary>
    public IMonitorLease? MonitorLease { get; }

    /// <summary>Changes announced by other processes (PostgreSQL's notifications); null on SQLite, where polling alone sees them.</summary>
    public IExperimentChangeSignal? Changes { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Changes is IAsyncDisposable changes)
        {
            await changes.DisposeAsync().ConfigureAwait(false);
        }

        if (database is not null)
        {
            await database.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
