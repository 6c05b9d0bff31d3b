using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Rampart.Llm.Judging;

/// <summary>
/// The bounded queue of sampled calls waiting for their judges, by count (<see cref="JudgeOptions.QueueCapacity"/>) and by
/// the bytes of their text (<see cref="JudgeOptions.QueueMaxBytes"/>): a write never waits; when either is full the work is
/// dropped and counted (<c>rampart_judge_skipped_total{rampart_reason="queue_full"}</c>). Thread-safe.
/// </summary>
public sealed class BoundedJudgeBacklog : IJudgeBacklog
{
    private readonly Channel<JudgeWork> channel;
    private readonly JudgeMetrics metrics;
    private readonly long maxBytes;
    private long bytes;

    /// <summary>A queue bounded by <paramref name="options"/>' capacity and bytes, counting drops in <paramref name="metrics"/>.</summary>
    public BoundedJudgeBacklog(JudgeOptions options, JudgeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        channel = Channel.CreateBounded<JudgeWork>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        this.metrics = metrics;
        maxBytes = options.QueueMaxBytes;
    }

    /// <summary>The bytes the waiting work's text takes now.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>The work waiting for the judges, each item's bytes given back as it is taken.</summary>
    public async IAsyncEnumerable<JudgeWork> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var work in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Add(ref bytes, -SizeOf(work));
            yield return work;
        }
    }

    /// <inheritdoc />
    public bool TryEnqueue(JudgeWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var size = SizeOf(work);
        if (Interlocked.Add(ref bytes, size) <= maxBytes)
        {
            if (channel.Writer.TryWrite(work))
            {
                return true;
            }
        }

        Interlocked.Add(ref bytes, -size);
        metrics.Skipped(work.Experiment, work.Judge.Name, JudgeMetrics.QueueFull);
        return false;
    }

    /// <summary>Takes no more work; what is queued is still given to the readers.</summary>
    public void Complete() => channel.Writer.TryComplete();

    // The text held (UTF-16) and a fixed allowance for the rest of the item.
    private static long SizeOf(JudgeWork work) => 256 + (2L * ((work.InputJson?.Length ?? 0) + work.Output.Length));
}
