using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Rampart.Llm.Judging;

namespace Rampart.Server.Judging;

/// <summary>
/// The bounded queue of sampled calls waiting for their judges (<c>judges.queue_capacity</c>): a write never waits; when
/// the queue is full the work is dropped and counted (<c>rampart_judge_skipped_total{rampart_reason="queue_full"}</c>).
/// </summary>
internal sealed class JudgeQueue : IJudgeBacklog
{
    private readonly Channel<JudgeWork> channel;
    private readonly JudgeMetrics metrics;

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
    }

    /// <summary>The work waiting for the judges.</summary>
    public ChannelReader<JudgeWork> Reader => channel.Reader;

    /// <inheritdoc />
    public bool TryEnqueue(JudgeWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (channel.Writer.TryWrite(work))
        {
            return true;
        }

        metrics.Skipped(work.Experiment, work.Judge.Name, JudgeMetrics.QueueFull);
        return false;
    }

    /// <summary>Takes no more work; what is queued is still judged.</summary>
    public void Complete() => channel.Writer.TryComplete();
}
