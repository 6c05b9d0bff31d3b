using Rampart.Core.Events;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Judging;

/// <summary>
/// Each judge's spend per experiment per UTC day (docs/judges.md): once a judge has spent its <c>max_cost_usd_per_day</c>,
/// <see cref="TryStart"/> refuses it (and counts the refusal) until the next UTC day. The verdict that crosses the cap is
/// still kept: a judge's cost is known only once it has answered. Thread-safe.
/// </summary>
/// <remarks>
/// A budget fed by a store (made with a <c>pendingFor</c>) takes its spend from the stored verdicts every server has made,
/// through <see cref="OnStored"/>; a verdict of this process counts at once as pending, keyed by its event id, until its
/// stored event is read (then it counts once, as stored) or for at most <c>pendingFor</c>. Without a store, every
/// <see cref="Add(string, JudgeDefinition, double, string?)"/> counts for the day in this process only.
/// </remarks>
public sealed class JudgeBudget
{
    /// <summary>How long a verdict of this process counts as pending when the server makes the budget.</summary>
    public static readonly TimeSpan DefaultPendingFor = TimeSpan.FromMinutes(5);

    private readonly TimeProvider time;
    private readonly TimeSpan? pendingFor;
    private readonly Lock gate = new();
    private readonly Dictionary<SpendKey, Tally> tallies = [];
    private readonly Dictionary<string, Pending> pending = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long AddedAt)> pendingOrder = new();
    private DateOnly prunedOn;
    private long skipped;

    /// <summary>A budget of this process's spend alone, on the clock <paramref name="time"/> (its UTC date decides the day).</summary>
    public JudgeBudget(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
    }

    /// <summary>
    /// A budget fed by the store through <see cref="OnStored"/>: a verdict added with its event id counts as pending until
    /// its event is read, for at most <paramref name="pendingFor"/>.
    /// </summary>
    public JudgeBudget(TimeProvider time, TimeSpan pendingFor)
        : this(time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pendingFor, TimeSpan.Zero);
        this.pendingFor = pendingFor;
    }

    /// <summary>The judgements refused so far for a spent budget.</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    /// <summary>How many of this process's verdicts count as pending: not yet read back from the store, nor expired.</summary>
    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                Prune();
                return pending.Count;
            }
        }
    }

    /// <summary>True when <paramref name="judge"/> of <paramref name="experiment"/> may judge another call today; false counts a skip.</summary>
    public bool TryStart(string experiment, JudgeDefinition judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        if (judge.MaxCostUsdPerDay is not { } cap)
        {
            return true;
        }

        if (SpentToday(experiment, judge.Name) < cap)
        {
            return true;
        }

        Interlocked.Increment(ref skipped);
        return false;
    }

    /// <summary>Adds <paramref name="costUsd"/> to today's spend of <paramref name="judge"/> of <paramref name="experiment"/>, in this process.</summary>
    public void Add(string experiment, JudgeDefinition judge, double costUsd) => Add(experiment, judge, costUsd, null);

    /// <summary>
    /// Adds <paramref name="costUsd"/> to today's spend of <paramref name="judge"/> of <paramref name="experiment"/>: pending
    /// until the store's event <paramref name="eventId"/> is read, when the budget is fed by a store and the id is given;
    /// otherwise for the day, in this process.
    /// </summary>
    public void Add(string experiment, JudgeDefinition judge, double costUsd, string? eventId)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(judge);
        if (!double.IsFinite(costUsd) || costUsd <= 0)
        {
            return;
        }

        lock (gate)
        {
            var today = Prune();
            var key = new SpendKey(experiment, judge.Name, today);
            var tally = TallyOf(key);
            // A second verdict with a pending id (the same call judged again) cost money too, but the store keeps one event.
            if (pendingFor is null || eventId is null || pending.ContainsKey(eventId))
            {
                tally.Settled += costUsd;
                return;
            }

            var addedAt = time.GetTimestamp();
            pending.Add(eventId, new Pending(key, costUsd, addedAt));
            pendingOrder.Enqueue((eventId, addedAt));
            tally.Pending += costUsd;
            tally.PendingCount++;
        }
    }

    /// <summary>
    /// Counts a stored event's cost when it is a judge's verdict (feedback of source <c>judge</c> with a cost), on the UTC
    /// day of its <c>ts</c>; a verdict of this process pending under the same id stops being pending, so it counts once.
    /// Events of a past day change nothing, and so does every event for a budget of this process's spend alone (it counted
    /// its own verdicts already).
    /// </summary>
    public void OnStored(ExperimentEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (pendingFor is null || stored.Type != EventType.Feedback || stored.Source != JudgeDefinition.Source || stored.CostUsd is not { } cost
            || !double.IsFinite(cost) || cost <= 0 || stored.Score is not { } score
            || !score.StartsWith(JudgeDefinition.ScorePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var day = DateOnly.FromDateTime(stored.Ts.UtcDateTime);
        lock (gate)
        {
            var today = Prune();
            if (stored.Id is { } id && pending.Remove(id, out var settled))
            {
                Release(settled);
            }

            Settle(today, new SpendKey(stored.Experiment, JudgeName(score), day), cost);
        }
    }

    /// <summary>What <paramref name="judge"/> of <paramref name="experiment"/> has spent on this UTC day: stored and pending.</summary>
    public double SpentToday(string experiment, string judge)
    {
        lock (gate)
        {
            var today = Prune();
            return tallies.TryGetValue(new SpendKey(experiment, judge, today), out var tally) ? tally.Settled + tally.Pending : 0;
        }
    }

    /// <summary>The settled spend of today and tomorrow, per experiment and judge (for a results checkpoint).</summary>
    public IReadOnlyList<(string Experiment, string Judge, DateOnly Day, double Settled)> SettledSpend()
    {
        lock (gate)
        {
            Prune();
            return [.. tallies.Where(t => t.Value.Settled > 0).Select(t => (t.Key.Experiment, t.Key.Judge, t.Key.Day, t.Value.Settled))];
        }
    }

    /// <summary>
    /// Adds spend settled by verdicts this server will not read again (those a results checkpoint covers); a past day's is
    /// ignored, as <see cref="OnStored"/> ignores a past day's verdicts.
    /// </summary>
    public void AddSettled(string experiment, string judge, DateOnly day, double settled)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(judge);
        if (!double.IsFinite(settled) || settled <= 0)
        {
            return;
        }

        lock (gate)
        {
            Settle(Prune(), new SpendKey(experiment, judge, day), settled);
        }
    }

    // Tomorrow is kept for a server whose clock runs a little ahead; further days would be a bad clock or a bad import.
    // Called under the lock.
    private void Settle(DateOnly today, SpendKey key, double cost)
    {
        if (key.Day >= today && key.Day <= today.AddDays(1))
        {
            TallyOf(key).Settled += cost;
        }
    }

    private Tally TallyOf(SpendKey key)
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tallies[key] = tally = new Tally();
        }

        return tally;
    }

    private void Release(Pending entry)
    {
        if (tallies.TryGetValue(entry.Key, out var tally))
        {
            tally.Pending -= entry.CostUsd;
            // Sums of doubles leave a residue: with nothing pending, nothing is.
            if (--tally.PendingCount == 0)
            {
                tally.Pending = 0;
            }
        }
    }

    // Drops what can no longer count (a past day's tallies and pending verdicts, pending verdicts older than pendingFor)
    // and returns today. Called under the lock.
    private DateOnly Prune()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != prunedOn)
        {
            prunedOn = today;
            foreach (var key in tallies.Keys.Where(k => k.Day < today).ToList())
            {
                tallies.Remove(key);
            }

            foreach (var id in pending.Where(p => p.Value.Key.Day < today).Select(p => p.Key).ToList())
            {
                pending.Remove(id);
            }
        }

        if (pendingFor is { } ttl)
        {
            while (pendingOrder.TryPeek(out var head) && time.GetElapsedTime(head.AddedAt) > ttl)
            {
                pendingOrder.Dequeue();
                if (pending.TryGetValue(head.Id, out var entry) && entry.AddedAt == head.AddedAt)
                {
                    pending.Remove(head.Id);
                    Release(entry);
                }
            }

            // Read-back verdicts leave their place in the queue behind; past the pending ones it holds, compact it.
            if (pendingOrder.Count > 1024 && pendingOrder.Count > 4 * pending.Count)
            {
                var live = pendingOrder.Where(h => pending.TryGetValue(h.Id, out var e) && e.AddedAt == h.AddedAt).ToList();
                pendingOrder.Clear();
                live.ForEach(pendingOrder.Enqueue);
            }
        }

        return today;
    }

    private readonly record struct SpendKey(string Experiment, string Judge, DateOnly Day);

    private sealed record Pending(SpendKey Key, double CostUsd, long AddedAt);

    private sealed class Tally
    {
        public double Settled { get; set; }

        public double Pending { get; set; }

        public int PendingCount { get; set; }
    }

    // judge_<name> or, for a pairwise preference, judge_<name>_preference (no judge name ends in _preference).
    private static string JudgeName(string score)
    {
        var name = score[JudgeDefinition.ScorePrefix.Length..];
        return name.EndsWith(JudgeDefinition.PreferenceSuffix, StringComparison.Ordinal) ? name[..^JudgeDefinition.PreferenceSuffix.Length] : name;
    }
}
