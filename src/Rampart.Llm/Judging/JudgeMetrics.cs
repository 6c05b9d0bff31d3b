using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rampart.Llm.Judging;

/// <summary>
/// The judges' instruments (docs/judges.md: what is counted), on the meter given: the server's (<c>/metrics</c>) or the
/// in-process middleware's (<see cref="InProcessJudgeBacklog.MeterName"/>). Each count carries the experiment and the judge.
/// </summary>
public sealed class JudgeMetrics
{
    /// <summary>Counter: judge verdicts stored as feedback.</summary>
    public const string Verdicts = "rampart.judge.verdicts";

    /// <summary>Counter: sampled calls not judged, by <see cref="ReasonTag"/> (<see cref="QueueFull"/>, <see cref="Budget"/>).</summary>
    public const string SkippedCalls = "rampart.judge.skipped";

    /// <summary>Counter: judge calls that failed.</summary>
    public const string Failures = "rampart.judge.failures";

    /// <summary>Counter: what judge calls cost, in US dollars.</summary>
    public const string CostUsd = "rampart.judge.cost_usd";

    /// <summary>Attribute: the experiment's key.</summary>
    public const string ExperimentTag = "rampart.experiment";

    /// <summary>Attribute: the judge's name.</summary>
    public const string JudgeTag = "rampart.judge";

    /// <summary>Attribute: why a call was not judged.</summary>
    public const string ReasonTag = "rampart.reason";

    /// <summary>The <see cref="ReasonTag"/> of a judgement dropped because the judge queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The <see cref="ReasonTag"/> of a judgement skipped because the judge had spent its daily budget.</summary>
    public const string Budget = "budget";

    private readonly Counter<long> verdicts;
    private readonly Counter<long> skipped;
    private readonly Counter<long> failures;
    private readonly Counter<double> cost;

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    public JudgeMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        verdicts = meter.CreateCounter<long>(Verdicts, "{verdict}", "Judge verdicts stored as feedback");
        skipped = meter.CreateCounter<long>(SkippedCalls, "{call}", "Sampled calls not judged: the judge queue was full, or the judge had spent its daily budget");
        failures = meter.CreateCounter<long>(Failures, "{call}", "Judge calls that failed: an error, a timeout, or no rating on the scale");
        cost = meter.CreateCounter<double>(CostUsd, "{usd}", "What the judge calls cost, in US dollars");
    }

    /// <summary>Counts one verdict.</summary>
    public void Verdict(string experiment, string judge) => verdicts.Add(1, Tags(experiment, judge));

    /// <summary>Counts one skipped judgement, by <paramref name="reason"/> (<see cref="QueueFull"/>, <see cref="Budget"/>).</summary>
    public void Skipped(string experiment, string judge, string reason)
    {
        var tags = Tags(experiment, judge);
        tags.Add(ReasonTag, reason);
        skipped.Add(1, tags);
    }

    /// <summary>Counts one failed judgement.</summary>
    public void Failure(string experiment, string judge) => failures.Add(1, Tags(experiment, judge));

    /// <summary>Adds a judge call's cost.</summary>
    public void Cost(string experiment, string judge, double usd)
    {
        if (double.IsFinite(usd) && usd > 0)
        {
            cost.Add(usd, Tags(experiment, judge));
        }
    }

    private static TagList Tags(string experiment, string judge) =>
        new() { { ExperimentTag, experiment }, { JudgeTag, judge } };
}
