using System.Diagnostics;
using System.Diagnostics.Metrics;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Judging;

/// <summary>The judges' instruments on the server's meter (docs/api.md <c>/metrics</c>, docs/judges.md).</summary>
internal sealed class JudgeMetrics
{
    /// <summary>The <c>reason</c> of a judgement dropped because the judge queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The <c>reason</c> of a judgement skipped because the judge had spent its daily budget.</summary>
    public const string Budget = "budget";

    private readonly Counter<long> verdicts;
    private readonly Counter<long> skipped;
    private readonly Counter<long> failures;
    private readonly Counter<double> cost;

    /// <summary>Creates the instruments on the server's meter from <paramref name="meters"/>.</summary>
    public JudgeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(RampartTelemetry.MeterName);
        verdicts = meter.CreateCounter<long>(RampartTelemetry.JudgeVerdicts, "{verdict}", "Judge verdicts stored as feedback");
        skipped = meter.CreateCounter<long>(RampartTelemetry.JudgeSkipped, "{call}", "Sampled calls not judged: the judge queue was full, or the judge had spent its daily budget");
        failures = meter.CreateCounter<long>(RampartTelemetry.JudgeFailures, "{call}", "Judge calls that failed: an error, a timeout, or no rating on the scale");
        cost = meter.CreateCounter<double>(RampartTelemetry.JudgeCostUsd, "{usd}", "What the judge calls cost, in US dollars");
    }

    /// <summary>Counts one verdict.</summary>
    public void Verdict(string experiment, string judge) => verdicts.Add(1, Tags(experiment, judge));

    /// <summary>Counts one skipped judgement, by <paramref name="reason"/> (<see cref="QueueFull"/>, <see cref="Budget"/>).</summary>
    public void Skipped(string experiment, string judge, string reason)
    {
        var tags = Tags(experiment, judge);
        tags.Add(RampartTelemetry.Reason, reason);
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
        new() { { RampartTelemetry.Experiment, experiment }, { RampartTelemetry.Judge, judge } };
}
