using System.Collections.Concurrent;

namespace Rampart.Llm.Shadowing;

/// <summary>
/// Each shadow variant's spend per experiment per UTC day (docs/shadow.md): once a variant has spent the shadow stage's
/// <c>max_cost_usd_per_day</c>, <see cref="TryStart"/> refuses it until the next UTC day, and says which refusal is the
/// day's first (the one to alert on). The call that crosses the cap is still kept: its cost is known only once it has
/// answered. Thread-safe.
/// </summary>
public sealed class ShadowBudget
{
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<(string Experiment, string Variant), Spend> spends = new();

    /// <summary>A budget on the clock <paramref name="time"/> (its UTC date decides the day).</summary>
    public ShadowBudget(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
    }

    /// <summary>
    /// True when <paramref name="variant"/> of <paramref name="experiment"/> may be called in shadow again today under
    /// <paramref name="capUsd"/> (null: no cap). When refused, <paramref name="firstToday"/> is true for the day's first refusal.
    /// </summary>
    public bool TryStart(string experiment, string variant, double? capUsd, out bool firstToday)
    {
        firstToday = false;
        if (capUsd is not { } cap || !spends.TryGetValue((experiment, variant), out var spend))
        {
            return true;
        }

        var today = Today();
        lock (spend)
        {
            if (spend.Day != today || spend.Usd < cap)
            {
                return true;
            }

            firstToday = spend.Alerted != today;
            spend.Alerted = today;
            return false;
        }
    }

    /// <summary>Adds <paramref name="costUsd"/> to today's spend of <paramref name="variant"/> of <paramref name="experiment"/>.</summary>
    public void Add(string experiment, string variant, double costUsd)
    {
        if (!double.IsFinite(costUsd) || costUsd <= 0)
        {
            return;
        }

        var today = Today();
        var spend = spends.GetOrAdd((experiment, variant), _ => new Spend());
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

    /// <summary>What <paramref name="variant"/> of <paramref name="experiment"/> has spent in shadow on this UTC day.</summary>
    public double SpentToday(string experiment, string variant)
    {
        if (!spends.TryGetValue((experiment, variant), out var spend))
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

        public DateOnly Alerted { get; set; }
    }
}
