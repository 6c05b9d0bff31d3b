using System.Collections.Immutable;

namespace Rampart.Core.Allocation;

/// <summary>
/// Which variant owns each of the 10,000 buckets. Tables are immutable: a stage change derives a new table from the
/// previous one with <see cref="Transition"/>, moving as few buckets as the new weights allow.
/// </summary>
public sealed class AllocationTable
{
    private const byte RolledBackFlag = 0x80;
    private const byte VariantMask = 0x7F;

    /// <summary>The most variants an experiment can have.</summary>
    public const int MaxVariants = VariantMask;

    // One byte per bucket: the owner's index in Variants, with the high bit set where the bucket was handed to the control by a rollback.
    private readonly byte[] owners;

    private AllocationTable(ImmutableArray<string> variants, byte[] owners)
    {
        Variants = variants;
        this.owners = owners;
        var counts = new int[variants.Length];
        foreach (var owner in owners)
        {
            counts[owner & VariantMask]++;
        }

        Counts = [.. counts];
    }

    /// <summary>The variants in listed order; an owner is an index into this list.</summary>
    public ImmutableArray<string> Variants { get; }

    /// <summary>How many buckets each variant owns, in listed order.</summary>
    public ImmutableArray<int> Counts { get; }

    /// <summary>Each variant's weight, in listed order.</summary>
    public IEnumerable<Weight> Weights => Counts.Select(c => new Weight(c));

    /// <summary>The index (in <see cref="Variants"/>) of the variant that owns <paramref name="bucket"/>.</summary>
    public int OwnerOf(int bucket) => owners[bucket] & VariantMask;

    /// <summary>True when the control owns <paramref name="bucket"/> because a rollback handed it over.</summary>
    public bool IsRolledBack(int bucket) => (owners[bucket] & RolledBackFlag) != 0;

    /// <summary>
    /// The first stage's layout: each variant takes a contiguous range in listed order
    /// (80/10/10 gives [0, 8000), [8000, 9000), [9000, 10000)).
    /// </summary>
    /// <exception cref="ArgumentNullException">when <paramref name="variants"/> or <paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentException">when there are not 1 to <see cref="MaxVariants"/> variants, not one weight per variant, or the weights do not sum to 100%.</exception>
    public static AllocationTable Initial(IReadOnlyList<string> variants, IReadOnlyList<Weight> weights)
    {
        CheckWeights(variants, weights);
        var owners = new byte[Weight.TotalBuckets];
        var next = 0;
        for (var v = 0; v < variants.Count; v++)
        {
            Array.Fill(owners, (byte)v, next, weights[v].Buckets);
            next += weights[v].Buckets;
        }

        return new AllocationTable([.. variants], owners);
    }

    /// <summary>
    /// The next stage's layout. Each variant whose weight shrinks releases its highest buckets; the released buckets,
    /// pooled in ascending order, go to the variants whose weight grows, in listed order, each taking the lowest
    /// remaining ones. The share of buckets that change owner is the total-variation distance between the two weight
    /// vectors, the least possible.
    /// </summary>
    /// <param name="weights">The new weights, in listed order, summing to 100%.</param>
    /// <param name="rollbackTo">In a rollback, the control's index: the buckets it takes are marked as rolled back; otherwise -1.</param>
    /// <exception cref="ArgumentNullException">when <paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentException">when <paramref name="weights"/> does not give one weight per variant or does not sum to 100%.</exception>
    public AllocationTable Transition(IReadOnlyList<Weight> weights, int rollbackTo = -1)
    {
        CheckWeights(Variants, weights);
        var next = (byte[])owners.Clone();
        var released = new List<int>();
        for (var v = 0; v < Variants.Length; v++)
        {
            var surplus = Counts[v] - weights[v].Buckets;
            for (var bucket = Weight.TotalBuckets - 1; surplus > 0; bucket--)
            {
                if ((owners[bucket] & VariantMask) == v)
                {
                    released.Add(bucket);
                    surplus--;
                }
            }
        }

        released.Sort();
        var taken = 0;
        for (var v = 0; v < Variants.Length; v++)
        {
            var deficit = weights[v].Buckets - Counts[v];
            var flag = v == rollbackTo ? RolledBackFlag : (byte)0;
            for (; deficit > 0; deficit--)
            {
                next[released[taken++]] = (byte)(v | flag);
            }
        }

        return new AllocationTable(Variants, next);
    }

    /// <summary>The table as ranges of consecutive buckets with one owner (and one rollback mark), ascending.</summary>
    public IReadOnlyList<BucketRange> ToRanges()
    {
        var ranges = new List<BucketRange>();
        var start = 0;
        for (var bucket = 1; bucket <= Weight.TotalBuckets; bucket++)
        {
            if (bucket == Weight.TotalBuckets || owners[bucket] != owners[start])
            {
                ranges.Add(new BucketRange(Variants[owners[start] & VariantMask], start, bucket, (owners[start] & RolledBackFlag) != 0));
                start = bucket;
            }
        }

        return ranges;
    }

    /// <summary>Rebuilds a stored table from its ranges, which must cover [0, 10000) exactly once.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="variants"/> or <paramref name="ranges"/> is null.</exception>
    /// <exception cref="FormatException">when a range lies outside [0, 10000), is empty or names no variant, or the ranges do not cover 10000 buckets.</exception>
    public static AllocationTable FromRanges(IReadOnlyList<string> variants, IEnumerable<BucketRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(ranges);
        var owners = new byte[Weight.TotalBuckets];
        var covered = 0;
        foreach (var range in ranges)
        {
            var index = IndexOf(variants, range.Variant);
            if (range.Start < 0 || range.End > Weight.TotalBuckets || range.Start >= range.End)
            {
                throw new FormatException($"Range [{range.Start}, {range.End}) of '{range.Variant}' is outside [0, {Weight.TotalBuckets}).");
            }

            Array.Fill(owners, (byte)(index | (range.RolledBack ? RolledBackFlag : 0)), range.Start, range.Length);
            covered += range.Length;
        }

        if (covered != Weight.TotalBuckets)
        {
            throw new FormatException($"The ranges cover {covered} buckets; a table covers exactly {Weight.TotalBuckets}.");
        }

        return new AllocationTable([.. variants], owners);
    }

    /// <summary>The number of buckets whose owner differs between this table and <paramref name="other"/>.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="other"/> is null.</exception>
    public int BucketsMovedTo(AllocationTable other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var moved = 0;
        for (var bucket = 0; bucket < Weight.TotalBuckets; bucket++)
        {
            if (OwnerOf(bucket) != other.OwnerOf(bucket))
            {
                moved++;
            }
        }

        return moved;
    }

    private static int IndexOf(IReadOnlyList<string> variants, string variant)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (variants[i] == variant)
            {
                return i;
            }
        }

        throw new FormatException($"Range owner '{variant}' is not one of the variants.");
    }

    private static void CheckWeights(IReadOnlyList<string> variants, IReadOnlyList<Weight> weights)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(weights);
        if (variants.Count is 0 or > MaxVariants)
        {
            throw new ArgumentException($"A table has 1 to {MaxVariants} variants, not {variants.Count}.", nameof(variants));
        }

        if (weights.Count != variants.Count)
        {
            throw new ArgumentException($"{weights.Count} weights were given for {variants.Count} variants.", nameof(weights));
        }

        if (weights.Sum(w => w.Buckets) != Weight.TotalBuckets)
        {
            throw new ArgumentException($"Weights sum to {weights.Sum(w => w.Percent)}%; they must sum to 100%.", nameof(weights));
        }
    }
}
