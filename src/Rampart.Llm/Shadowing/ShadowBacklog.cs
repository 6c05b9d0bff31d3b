using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Rampart.Llm.Shadowing;

/// <summary>
/// The bounded queue of sampled requests waiting for their shadow calls, by count (<see cref="ShadowOptions.QueueCapacity"/>)
/// and by the bytes of their bodies (<see cref="ShadowOptions.QueueMaxBytes"/>): a write never waits; when either is full
/// the call is dropped and counted (<c>rampart_shadow_skipped_total{rampart_reason="queue_full"}</c>). Thread-safe.
/// </summary>
public sealed class ShadowBacklog
{
    private readonly Channel<ShadowWork> channel;
    private readonly ShadowMetrics metrics;
    private readonly long maxBytes;
    private long bytes;

    /// <summary>A queue bounded by <paramref name="options"/>' capacity and bytes, counting drops in <paramref name="metrics"/>.</summary>
    public ShadowBacklog(ShadowOptions options, ShadowMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        channel = Channel.CreateBounded<ShadowWork>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        this.metrics = metrics;
        maxBytes = options.QueueMaxBytes;
    }

    /// <summary>The bytes the waiting bodies take now.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>The waiting work, each item's bytes given back as it is taken.</summary>
    public async IAsyncEnumerable<ShadowWork> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var work in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Add(ref bytes, -SizeOf(work));
            yield return work;
        }
    }

    /// <summary>Takes <paramref name="work"/> if there is room; false (counted) when it was dropped. Never waits, never throws.</summary>
    public bool TryEnqueue(ShadowWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var size = SizeOf(work);
        if (Interlocked.Add(ref bytes, size) <= maxBytes && channel.Writer.TryWrite(work))
        {
            return true;
        }

        Interlocked.Add(ref bytes, -size);
        metrics.Skipped(work.Experiment.Key, work.Variant.Name, ShadowMetrics.QueueFull);
        return false;
    }

    /// <summary>Takes no more work; what is queued is still given to the readers.</summary>
    public void Complete() => channel.Writer.TryComplete();

    // The body's bytes and a fixed allowance for the rest of the item. Two shadow variants of one request share the body,
    // but each counts it: the bound stays a bound.
    private static long SizeOf(ShadowWork work) => 256 + work.Body.Length;
}
