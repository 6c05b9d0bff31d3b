using Rampart.Llm.Backlogs;

namespace Rampart.Llm.Judging;

/// <summary>
/// The bounded queue of sampled calls waiting for their judges, by count (<see cref="JudgeOptions.QueueCapacity"/>) and by
/// the bytes of their text (<see cref="JudgeOptions.QueueMaxBytes"/>): a write never waits; when either is full the work is
/// dropped and counted (<c>rampart_judge_skipped_total{rampart_reason="queue_full"}</c>). Thread-safe.
/// </summary>
public sealed class BoundedJudgeBacklog : IJudgeBacklog
{
    private readonly ByteBoundedBacklog<JudgeWork> queue;

    /// <summary>A queue bounded by <paramref name="options"/>' capacity and bytes, counting drops in <paramref name="metrics"/>.</summary>
    public BoundedJudgeBacklog(JudgeOptions options, JudgeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        queue = new ByteBoundedBacklog<JudgeWork>(options.QueueCapacity, options.QueueMaxBytes, SizeOf,
            work => metrics.Skipped(work.Experiment, work.Judge.Name, JudgeMetrics.QueueFull));
    }

    /// <summary>The bytes the waiting work's text takes now.</summary>
    public long Bytes => queue.Bytes;

    /// <summary>The work waiting for the judges, each item's bytes given back as it is taken.</summary>
    public IAsyncEnumerable<JudgeWork> ReadAllAsync(CancellationToken cancellationToken) => queue.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    public bool TryEnqueue(JudgeWork work) => queue.TryEnqueue(work);

    /// <summary>Takes no more work; what is queued is still given to the readers.</summary>
    public void Complete() => queue.Complete();

    // The text held (UTF-16: the answer, the messages and, for a preference, the other answer) and a fixed allowance for the rest.
    private static long SizeOf(JudgeWork work) => 256 + (2L * ((work.InputJson?.Length ?? 0) + work.Output.Length + (work.Against?.Length ?? 0)));
}
