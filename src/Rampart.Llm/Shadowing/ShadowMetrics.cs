using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rampart.Llm.Shadowing;

/// <summary>The shadow calls' instruments (docs/shadow.md: what is counted) on the server's meter; each count carries the experiment and the shadow variant.</summary>
public sealed class ShadowMetrics
{
    /// <summary>Counter: shadow calls made.</summary>
    public const string Calls = "rampart.shadow.calls";

    /// <summary>Counter: sampled shadow calls not made, by <see cref="ReasonTag"/> (<see cref="QueueFull"/>, <see cref="Budget"/>).</summary>
    public const string SkippedCalls = "rampart.shadow.skipped";

    /// <summary>Counter: shadow calls that failed (an error, a timeout; never seen by the caller).</summary>
    public const string Failures = "rampart.shadow.failures";

    /// <summary>Counter: shadow completions made but not stored, because the store given refused them (the event queue was full).</summary>
    public const string UnstoredCompletions = "rampart.shadow.unstored";

    /// <summary>Counter: what shadow calls cost, in US dollars.</summary>
    public const string CostUsd = "rampart.shadow.cost_usd";

    /// <summary>Attribute: the experiment's key.</summary>
    public const string ExperimentTag = "rampart.experiment";

    /// <summary>Attribute: the shadow variant's name.</summary>
    public const string VariantTag = "rampart.variant";

    /// <summary>Attribute: why a shadow call was not made.</summary>
    public const string ReasonTag = "rampart.reason";

    /// <summary>The <see cref="ReasonTag"/> of a shadow call dropped because the shadow queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The <see cref="ReasonTag"/> of a shadow call skipped because the variant had spent its daily budget.</summary>
    public const string Budget = "budget";

    private readonly Counter<long> calls;
    private readonly Counter<long> skipped;
    private readonly Counter<long> failures;
    private readonly Counter<long> unstored;
    private readonly Counter<double> cost;

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    public ShadowMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        calls = meter.CreateCounter<long>(Calls, "{call}", "Shadow calls made, after the served answer, off the request path");
        skipped = meter.CreateCounter<long>(SkippedCalls, "{call}", "Sampled shadow calls not made: the shadow queue was full, or the variant had spent its daily budget");
        failures = meter.CreateCounter<long>(Failures, "{call}", "Shadow calls that failed: an error or a timeout, never seen by the caller");
        unstored = meter.CreateCounter<long>(UnstoredCompletions, "{event}", "Shadow completions made but not stored: the event queue was full");
        cost = meter.CreateCounter<double>(CostUsd, "{usd}", "What the shadow calls cost, in US dollars");
    }

    /// <summary>Counts one shadow call made.</summary>
    public void Call(string experiment, string variant) => calls.Add(1, Tags(experiment, variant));

    /// <summary>Counts one skipped shadow call, by <paramref name="reason"/> (<see cref="QueueFull"/>, <see cref="Budget"/>).</summary>
    public void Skipped(string experiment, string variant, string reason)
    {
        var tags = Tags(experiment, variant);
        tags.Add(ReasonTag, reason);
        skipped.Add(1, tags);
    }

    /// <summary>Counts one failed shadow call.</summary>
    public void Failure(string experiment, string variant) => failures.Add(1, Tags(experiment, variant));

    /// <summary>Counts one shadow completion made but not stored.</summary>
    public void Unstored(string experiment, string variant) => unstored.Add(1, Tags(experiment, variant));

    /// <summary>Adds a shadow call's cost.</summary>
    public void Cost(string experiment, string variant, double usd)
    {
        if (double.IsFinite(usd) && usd > 0)
        {
            cost.Add(usd, Tags(experiment, variant));
        }
    }

    private static TagList Tags(string experiment, string variant) =>
        new() { { ExperimentTag, experiment }, { VariantTag, variant } };
}
