using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Shadow;

/// <summary>
/// The shadow stage's pairs (docs/shadow.md, Paired analysis): joins, by pair id, the served completion that carries a
/// <c>pair_id</c> with each shadow variant's completion of the same request, whichever arrives first, and the judges' verdicts
/// on the two answers. Of two completions for one side of a pair the earlier (by position) counts and the other is counted as
/// a duplicate; of two verdicts the latest counts, as for any feedback. A served verdict (feedback with <c>request_id</c> = the
/// pair id and <c>source: judge</c>) is kept only once an event of the pair was seen: judges run after the answer.
/// Memory: O(entries that formed a pair + <see cref="MaxUnmatched"/>): when more than <see cref="MaxUnmatched"/> entries wait
/// for their other side, the oldest is dropped and counted in <see cref="Dropped"/>.
/// </summary>
public sealed class PairedAggregate
{
    /// <summary>The default <see cref="MaxUnmatched"/>.</summary>
    public const int DefaultMaxUnmatched = 100_000;

    /// <summary>The suffix of a pairwise judge's score: <c>judge_&lt;name&gt;_preference</c>.</summary>
    public const string PreferenceSuffix = "_preference";

    private readonly Dictionary<EventKey, PairedEntry> entries = [];
    private readonly List<(EventKey Key, long Id)> order = [];
    private readonly Queue<(EventKey Key, long Id)> waiting = new();
    private readonly List<string> variants = [];
    private readonly Dictionary<string, (double Spend, long Calls)> spend = new(StringComparer.Ordinal);
    private long nextId;
    private int unmatched;

    /// <summary>Creates an empty paired aggregate keeping at most <paramref name="maxUnmatched"/> entries that wait for their other side.</summary>
    public PairedAggregate(int maxUnmatched = DefaultMaxUnmatched)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxUnmatched);
        MaxUnmatched = maxUnmatched;
    }

    /// <summary>How many entries may wait for their other side before the oldest is dropped.</summary>
    public int MaxUnmatched { get; }

    /// <summary>True once any shadow event (completion or verdict) was seen.</summary>
    public bool HasShadow => variants.Count > 0;

    /// <summary>The shadow variants, in the order first seen.</summary>
    public IReadOnlyList<string> Variants => variants;

    /// <summary>Entries waiting for their other side now.</summary>
    public long Unmatched => unmatched;

    /// <summary>Entries dropped unmatched to keep memory bounded.</summary>
    public long Dropped { get; private set; }

    /// <summary>Second completions for one side of a pair, left out.</summary>
    public long Duplicates { get; private set; }

    /// <summary>What <paramref name="variant"/>'s shadow calls cost in total (matched or not), and how many there were.</summary>
    public (double Spend, long Calls) SpendOf(string variant) => spend.GetValueOrDefault(variant);

    /// <summary>Adds the served (control) completion of the request <paramref name="pair"/> that a shadow variant sampled.</summary>
    public void AddServed(EventKey pair, PairedCall call)
    {
        var entry = GetOrAdd(pair);
        if (entry.Served is { } kept)
        {
            Duplicates++;
            entry.Served = kept.Sequence <= call.Sequence ? kept : call;
            return;
        }

        entry.Served = call;
        Settle(entry);
    }

    /// <summary>Adds <paramref name="variant"/>'s shadow completion of the served request <paramref name="pair"/>.</summary>
    public void AddShadow(string variant, EventKey pair, PairedCall call)
    {
        ArgumentException.ThrowIfNullOrEmpty(variant);
        Observe(variant);
        var entry = GetOrAdd(pair);
        entry.Shadows ??= new(StringComparer.Ordinal);
        if (entry.Shadows.TryGetValue(variant, out var kept))
        {
            Duplicates++;
            if (call.Sequence < kept.Sequence)
            {
                entry.Shadows[variant] = call;
                AddSpend(variant, call.CostUsd, 0);
                AddSpend(variant, -kept.CostUsd, 0);
            }

            return;
        }

        entry.Shadows.Add(variant, call);
        AddSpend(variant, call.CostUsd, 1);
        Settle(entry);
    }

    /// <summary>Adds a judge's verdict on the served answer of <paramref name="request"/>; ignored unless the request is a known pair.</summary>
    public void AddServedVerdict(string score, EventKey request, PairedVerdict verdict)
    {
        ArgumentException.ThrowIfNullOrEmpty(score);
        if (entries.TryGetValue(request, out var entry))
        {
            Keep(entry.ServedVerdicts ??= new(StringComparer.Ordinal), score, verdict);
        }
    }

    /// <summary>Adds a judge's verdict on <paramref name="variant"/>'s shadow answer to <paramref name="pair"/> (or a pairwise preference).</summary>
    public void AddShadowVerdict(string variant, string score, EventKey pair, PairedVerdict verdict)
    {
        ArgumentException.ThrowIfNullOrEmpty(variant);
        ArgumentException.ThrowIfNullOrEmpty(score);
        Observe(variant);
        var entry = GetOrAdd(pair);
        Keep(entry.ShadowVerdicts ??= new(StringComparer.Ordinal), variant + "\n" + score, verdict);
        Settle(entry);
    }

    /// <summary>The matched pairs of <paramref name="variant"/>, in the order their entries were first seen.</summary>
    public ShadowPairs PairsOf(string variant)
    {
        var pairs = new ShadowPairs(variant);
        var scores = new SortedDictionary<string, (List<double> Control, List<double> Shadow)>(StringComparer.Ordinal);
        var prefix = variant + "\n";
        foreach (var (key, id) in order)
        {
            if (!entries.TryGetValue(key, out var entry) || entry.Id != id)
            {
                continue;
            }

            if (entry.Served is { } c && entry.Shadows is { } shadows && shadows.TryGetValue(variant, out var s))
            {
                pairs.Add(c, s);
            }

            foreach (var (name, verdict) in entry.ShadowVerdicts ?? [])
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var score = name[prefix.Length..];
                if (score.EndsWith(PreferenceSuffix, StringComparison.Ordinal))
                {
                    var judge = score[..^PreferenceSuffix.Length];
                    var p = pairs.Preferences.GetValueOrDefault(judge);
                    pairs.Preferences[judge] = verdict.Value > 0.5 ? p with { Wins = p.Wins + 1 }
                        : verdict.Value < 0.5 ? p with { Losses = p.Losses + 1 } : p with { Ties = p.Ties + 1 };
                }
                else if (entry.ServedVerdicts?.TryGetValue(score, out var served) == true)
                {
                    if (!scores.TryGetValue(score, out var lists))
                    {
                        scores.Add(score, lists = ([], []));
                    }

                    lists.Control.Add(served.Value);
                    lists.Shadow.Add(verdict.Value);
                }
            }
        }

        foreach (var (score, (control, shadow)) in scores)
        {
            pairs.Scores.Add(score, new PairedScores(control, shadow));
        }

        return pairs;
    }

    /// <summary>Adds every entry of <paramref name="other"/>, joining entries of the same pair id.</summary>
    public void Merge(PairedAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, id) in other.order)
        {
            if (!other.entries.TryGetValue(key, out var theirs) || theirs.Id != id)
            {
                continue;
            }

            if (theirs.Served is { } served)
            {
                AddServed(key, served);
            }

            foreach (var (variant, call) in theirs.Shadows ?? [])
            {
                AddShadow(variant, key, call);
            }

            var entry = GetOrAdd(key);
            foreach (var (score, verdict) in theirs.ServedVerdicts ?? [])
            {
                Keep(entry.ServedVerdicts ??= new(StringComparer.Ordinal), score, verdict);
            }

            foreach (var (name, verdict) in theirs.ShadowVerdicts ?? [])
            {
                Observe(name[..name.IndexOf('\n', StringComparison.Ordinal)]);
                Keep(entry.ShadowVerdicts ??= new(StringComparer.Ordinal), name, verdict);
            }

            Settle(entry);
        }

        foreach (var variant in other.variants)
        {
            Observe(variant);
        }

        Dropped += other.Dropped;
        Duplicates += other.Duplicates;
    }

    /// <summary>Writes the whole state (pairs in their order, the unmatched queue, counts), for <see cref="Read"/>.</summary>
    internal void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(MaxUnmatched);
        writer.Write(nextId);
        writer.Write(unmatched);
        writer.Write(Dropped);
        writer.Write(Duplicates);
        writer.Write(variants.Count);
        variants.ForEach(writer.Write);
        writer.Write(spend.Count);
        foreach (var (variant, (total, calls)) in spend)
        {
            writer.Write(variant);
            writer.Write(total);
            writer.Write(calls);
        }

        writer.Write(entries.Count);
        foreach (var (key, entry) in entries)
        {
            writer.Write(key);
            entry.Write(writer);
        }

        WriteIds(writer, order);
        WriteIds(writer, waiting);
    }

    /// <summary>Reads pairs <see cref="Write"/> wrote.</summary>
    internal static PairedAggregate Read(Checkpoints.CheckpointReader reader)
    {
        var paired = new PairedAggregate(reader.ReadInt32()) { nextId = reader.ReadInt64(), unmatched = reader.ReadInt32(), Dropped = reader.ReadInt64(), Duplicates = reader.ReadInt64() };
        var variants = reader.ReadCount();
        for (var i = 0; i < variants; i++)
        {
            paired.variants.Add(reader.ReadString());
        }

        var spent = reader.ReadCount();
        for (var i = 0; i < spent; i++)
        {
            Checkpoints.CheckpointReader.Check(paired.spend.TryAdd(reader.ReadString(), (reader.ReadDouble(), reader.ReadInt64())), "A variant's shadow spend appears twice.");
        }

        var entries = reader.ReadCount();
        for (var i = 0; i < entries; i++)
        {
            Checkpoints.CheckpointReader.Check(paired.entries.TryAdd(reader.ReadKey(), PairedEntry.Read(reader)), "A pair appears twice.");
        }

        paired.order.AddRange(ReadIds(reader));
        foreach (var id in ReadIds(reader))
        {
            paired.waiting.Enqueue(id);
        }

        Checkpoints.CheckpointReader.Check(paired.unmatched >= 0 && paired.unmatched <= paired.entries.Count, "The count of unmatched pairs is invalid.");
        return paired;
    }

    private static void WriteIds(Checkpoints.CheckpointWriter writer, IReadOnlyCollection<(EventKey Key, long Id)> ids)
    {
        writer.Write(ids.Count);
        foreach (var (key, id) in ids)
        {
            writer.Write(key);
            writer.Write(id);
        }
    }

    private static List<(EventKey Key, long Id)> ReadIds(Checkpoints.CheckpointReader reader)
    {
        var count = reader.ReadCount();
        var ids = new List<(EventKey, long)>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add((reader.ReadKey(), reader.ReadInt64()));
        }

        return ids;
    }

    private static void Keep(Dictionary<string, PairedVerdict> verdicts, string name, PairedVerdict verdict)
    {
        if (!verdicts.TryGetValue(name, out var kept) || verdict.IsLaterThan(kept))
        {
            verdicts[name] = verdict;
        }
    }

    private void Observe(string variant)
    {
        if (!variants.Contains(variant, StringComparer.Ordinal))
        {
            variants.Add(variant);
        }
    }

    private void AddSpend(string variant, double? cost, long calls)
    {
        var (total, count) = spend.GetValueOrDefault(variant);
        spend[variant] = (total + (cost ?? 0), count + calls);
    }

    private PairedEntry GetOrAdd(EventKey key)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            entry = new PairedEntry(nextId++);
            entries.Add(key, entry);
            order.Add((key, entry.Id));
            waiting.Enqueue((key, entry.Id));
            unmatched++;
            Evict();
        }

        return entry;
    }

    // An entry is matched once it holds a served completion and a shadow one: it then stays, as the pairs' data.
    private void Settle(PairedEntry entry)
    {
        if (!entry.Matched && entry.Served is not null && entry.Shadows is { Count: > 0 })
        {
            entry.Matched = true;
            unmatched--;
        }
    }

    private void Evict()
    {
        while (unmatched > MaxUnmatched && waiting.TryDequeue(out var oldest))
        {
            if (entries.TryGetValue(oldest.Key, out var entry) && entry.Id == oldest.Id && !entry.Matched)
            {
                entries.Remove(oldest.Key);
                unmatched--;
                Dropped++;
            }
        }

        // The order list and the queue keep keys of dropped and matched entries: rebuild them when those are most of their length.
        if (order.Count > (2 * entries.Count) + 1024)
        {
            order.RemoveAll(o => !entries.TryGetValue(o.Key, out var e) || e.Id != o.Id);
        }

        if (waiting.Count > (2 * unmatched) + 1024)
        {
            var live = waiting.Where(o => entries.TryGetValue(o.Key, out var e) && e.Id == o.Id && !e.Matched).ToList();
            waiting.Clear();
            live.ForEach(waiting.Enqueue);
        }
    }
}
