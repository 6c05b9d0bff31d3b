using System.Collections.Concurrent;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Judging;

/// <summary>
/// Each judge's spend per experiment per UTC day (docs/judges.md): once a judge has spent its <c>max_cost_usd_per_day</c>,
/// <see cref="TryStart"/> refuses it (and counts the refusal) until the next UTC day. The verdict that crosses the cap is
/// still kept: a judge's cost is known only once it has answered. Thread-safe.
/// </summary>
public sealed class JudgeBudget
{
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<(string Experiment, string Judge), Spend> spends = new();
    private long skipped;

    /// <summary>A budget on the clock <paramref name="time"/> (its UTC date decides the day).</summary>
    public JudgeBudget(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
    }

    /// <summary>The judgements refused so far for a spent budget.</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    /// <summary>True when <paramref name="judge"/> of <paramref name="experiment"/> may judge another call today; false counts a skip.</summary>
    public bool TryStart(string experiment, JudgeDefinition judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        if (judge.MaxCostUsdPerDay is not { } cap)
        {
            return true;
        }

        var spent = SpentToday(experiment, judge.Name);
        if (spent < cap)
        {
            return true;
        }

        Interlocked.Increment(ref skipped);
        return false;
    }

    /// <summary>Adds <paramref name="costUsd"/> to today's spend of <paramref name="judge"/> of <paramref name="experiment"/>.</summary>
    public void Add(string experiment, JudgeDefinition judge, double costUsd)
    {
        ArgumentNullException.ThrowIfNull(judge);
        if (!double.IsFinite(costUsd) || costUsd <= 0)
        {
            return;
        }

        var today = Today();
        var spend = spends.GetOrAdd((experiment, judge.Name), _ => new Spend());
        lock (spend)
        {
            if (spend.Day != today)
            {
                spend.Day = today;
                spend.Usd = 0;
            }

            spend.Usd += costUsd;
        }
    }

    /// <summary>What <paramref name="judge"/> of <paramref name="experiment"/> has spent on this UTC day.</summary>
    public double SpentToday(string experiment, string judge)
    {
        if (!spends.TryGetValue((experiment, judge), out var spend))
        {
            return 0;
        }

        lock (spend)
        {
            return spend.Day == Today() ? spend.Usd : 0;
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private sealed class Spend
    {
        public DateOnly Day { get; set; }

        public double Usd { get; set; }
    }
}
