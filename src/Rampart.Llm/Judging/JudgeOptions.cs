namespace Rampart.Llm.Judging;

/// <summary>
/// How sampled calls wait for and get their judges (docs/judges.md): the server's <c>judges</c> section
/// (docs/configuration.md), and the in-process middleware's <see cref="InProcessJudgeBacklog"/>.
/// </summary>
public sealed class JudgeOptions
{
    /// <summary>The most sampled calls waiting for a judge (<c>judges.queue_capacity</c>, 1 to 10000000); more are dropped and counted.</summary>
    /// <value>Default: 10000.</value>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// The most bytes the waiting calls' text may take (<c>judges.queue_max_bytes</c>, counted as UTF-16: messages and
    /// answer; 1 KiB to 1 TiB); more are dropped and counted, so memory is bounded however long the callers' messages are.
    /// </summary>
    /// <value>Default: 67108864 (64 MiB).</value>
    public long QueueMaxBytes { get; set; } = 64L << 20;

    /// <summary>How many judge calls run at once (<c>judges.concurrency</c>, 1 to 1024).</summary>
    /// <value>Default: 4.</value>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long one judge call may take before it counts as a failure (<c>judges.timeout</c>, at most 1 hour).</summary>
    /// <value>Default: 30s.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem, each naming its property and how to fix it; empty when the options are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        // The server's bounds (docs/configuration.md, judges.*): a timeout longer than a timer takes failed every judgement,
        // and a million workers held memory for nothing.
        if (QueueCapacity is < 1 or > 10_000_000)
        {
            problems.Add($"JudgeOptions.QueueCapacity is {QueueCapacity}; it must be from 1 to 10000000.");
        }

        if (QueueMaxBytes is < 1024 or > 1L << 40)
        {
            problems.Add($"JudgeOptions.QueueMaxBytes is {QueueMaxBytes}; it must be from 1024 to 1099511627776 (1 TiB).");
        }

        if (Concurrency is < 1 or > 1024)
        {
            problems.Add($"JudgeOptions.Concurrency is {Concurrency}; it must be from 1 to 1024.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromHours(1))
        {
            problems.Add($"JudgeOptions.Timeout is {Timeout}; it must be above zero and at most 1 hour.");
        }

        return problems;
    }
}
