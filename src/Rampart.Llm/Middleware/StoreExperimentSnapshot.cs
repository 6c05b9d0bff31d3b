using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Core.Rollouts;

namespace Rampart.Llm.Middleware;

/// <summary>
/// Experiments read from an <see cref="IExperimentStore"/> and kept for <see cref="RefreshInterval"/>. Only the first call
/// for an experiment waits for the store; after that a stale snapshot is served while one refresh runs, and a failed
/// refresh keeps the last good snapshot (and is logged), so a store outage never fails a chat call.
/// </summary>
public sealed partial class StoreExperimentSnapshot : IExperimentSnapshot
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly IExperimentStore store;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <summary>Serves experiments from <paramref name="store"/>, re-reading each one at most every <paramref name="refreshInterval"/>.</summary>
    public StoreExperimentSnapshot(IExperimentStore store, TimeSpan refreshInterval, TimeProvider? timeProvider = null, ILogger<StoreExperimentSnapshot>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(refreshInterval, TimeSpan.Zero);
        this.store = store;
        RefreshInterval = refreshInterval;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<StoreExperimentSnapshot>.Instance;
    }

    /// <summary>How long a snapshot is served before it is read again.</summary>
    public TimeSpan RefreshInterval { get; }

    /// <inheritdoc />
    public async ValueTask<ExperimentAssigner?> GetAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        var entry = entries.GetOrAdd(experimentKey, static _ => new Entry());
        if (entry.Loaded && timeProvider.GetElapsedTime(entry.LoadedAt) < RefreshInterval)
        {
            return entry.Assigner;
        }

        if (entry.TryBeginRefresh())
        {
            _ = RefreshAsync(experimentKey, entry);
        }

        if (!entry.Loaded)
        {
            await entry.FirstLoad.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return entry.Assigner;
    }

    private async Task RefreshAsync(string experimentKey, Entry entry)
    {
        try
        {
            var experiment = await store.FindAsync(experimentKey, CancellationToken.None).ConfigureAwait(false);
            entry.Assigner = experiment is null ? null
                : entry.Assigner?.Experiment.Version == experiment.Version ? entry.Assigner
                : new ExperimentAssigner(experiment);
        }
#pragma warning disable CA1031 // Any store failure (I/O, a locked file, a dropped connection) must keep the last snapshot serving, not fail chat calls.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRefreshFailed(logger, experimentKey, e);
        }
        finally
        {
            entry.EndRefresh(timeProvider.GetTimestamp());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh experiment '{Experiment}' from the store; the last snapshot keeps serving.")]
    private static partial void LogRefreshFailed(ILogger logger, string experiment, Exception exception);

    /// <summary>One experiment's snapshot; at most one refresh runs at a time.</summary>
    private sealed class Entry
    {
        private readonly TaskCompletionSource firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile ExperimentAssigner? assigner;
        private long loadedAt;
        private int refreshing;

        public ExperimentAssigner? Assigner { get => assigner; set => assigner = value; }

        public bool Loaded => firstLoad.Task.IsCompleted;

        public long LoadedAt => Interlocked.Read(ref loadedAt);

        public Task FirstLoad => firstLoad.Task;

        public bool TryBeginRefresh() => Interlocked.CompareExchange(ref refreshing, 1, 0) == 0;

        public void EndRefresh(long timestamp)
        {
            Interlocked.Exchange(ref loadedAt, timestamp);
            firstLoad.TrySetResult();
            Volatile.Write(ref refreshing, 0);
        }
    }
}
