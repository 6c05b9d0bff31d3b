using Rampart.Llm.Backlogs;

namespace Rampart.Llm.Shadowing;

/// <summary>
/// The bounded queue of sampled requests waiting for their shadow calls, by count (<see cref="ShadowOptions.QueueCapacity"/>)
/// and by the bytes of their bodies (<see cref="ShadowOptions.QueueMaxBytes"/>): a write never waits; when either is full
/// the call is dropped and counted (<c>rampart_shadow_skipped_total{rampart_reason="queue_full"}</c>). Thread-safe.
/// </summary>
public sealed class ShadowBacklog
{
    private readonly ByteBoundedBacklog<ShadowWork> queue;

    /// <summary>A queue bounded by <paramref name="options"/>' capacity and bytes, counting drops in <paramref name="metrics"/>.</summary>
    public ShadowBacklog(ShadowOptions options, ShadowMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        queue = new ByteBoundedBacklog<ShadowWork>(options.QueueCapacity, options.QueueMaxBytes, SizeOf,
            work => metrics.Skipped(work.Experiment.Key, work.Variant.Name, ShadowMetrics.QueueFull));
    }

    /// <summary>The bytes the waiting bodies take now.</summary>
    public long Bytes => queue.Bytes;

    /// <summary>The waiting work, each item's bytes given back as it is taken.</summary>
    public IAsyncEnumerable<ShadowWork> ReadAllAsync(CancellationToken cancellationToken) => queue.ReadAllAsync(cancellationToken);

    /// <summary>Takes <paramref name="work"/> if there is room; false (counted) when it was dropped. Never waits, never throws.</summary>
    public bool TryEnqueue(ShadowWork work) => queue.TryEnqueue(work);

    /// <summary>Takes no more work; what is queued is still given to the readers.</summary>
    public void Complete() => queue.Complete();

    // The body's bytes, the served answer held for the judges' preference (UTF-16) and a fixed allowance for the rest. Two
    // shadow variants of one request share the body, but each counts it: the bound stays a bound.
    private static long SizeOf(ShadowWork work) => 256 + work.Body.Length + (2L * (work.ServedOutput?.Length ?? 0));
}
