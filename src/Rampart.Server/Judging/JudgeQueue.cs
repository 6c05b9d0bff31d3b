using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Rampart.Llm.Judging;

namespace Rampart.Server.Judging;

/// <summary>
/// The bounded queue of sampled calls waiting for their judges, by count (<c>judges.queue_capacity</c>) and by the bytes of
/// their text (<c>judges.queue_max_bytes</c>): a write never waits; when either is full the work is dropped and counted
/// (<c>rampart_judge_skipped_total{rampart_reason="queue_full"}</c>).
/// </summary>
internal sealed class JudgeQueue : IJudgeBacklog
{
    private readonly Channel<JudgeWork> channel;
    private readonly JudgeMetrics metrics;
    private readonly long maxBytes;
    private long bytes;

    /// <summary>A queue of <see cref="JudgeOptions.QueueCapacity"/> counting drops in <paramref name="metrics"/>.</summary>
    public JudgeQueue(IOptions<JudgeOptions> options, JudgeMetrics metrics)
    {
        channel = Channel.CreateBounded<JudgeWork>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        this.metrics = metrics;
        maxBytes = options.Value.QueueMaxBytes;
    }

    /// <summary>The bytes the waiting work's text takes now.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>The work waiting for the judges, each item's bytes given back as it is taken.</summary>
    public async IAsyncEnumerable<JudgeWork> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
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

    // The text held (UTF-16) and a fixed allowance for the rest of the item.
    private static long SizeOf(JudgeWork work) => 256 + (2L * ((work.InputJson?.Length ?? 0) + work.Output.Length));

    /// <summary>Takes no more work; what is queued is still judged.</summary>
    public void Complete() => channel.Writer.TryComplete();
}
