using FsCheck;
using FsCheck.Fluent;
using Rampart.Core.Allocation;

namespace Rampart.Core.Tests.Allocation;

public sealed class AllocationTableTests
{
    private static readonly string[] Variants = ["control", "variant_a", "variant_b"];

    [Fact]
    public void Initial_SeedFirstStage_LaysOutRangesInListedOrder()
    {
        var sut = AllocationTable.Initial(Variants, Weights(80, 10, 10));

        Assert.Equal(
            [new BucketRange("control", 0, 8000), new BucketRange("variant_a", 8000, 9000), new BucketRange("variant_b", 9000, 10000)],
            sut.ToRanges());
    }

    [Fact]
    public void Transition_SeedPlan_Moves20Then20Then70Percent()
    {
        var stage1 = AllocationTable.Initial(Variants, Weights(80, 10, 10));
        var stage2 = stage1.Transition(Weights(60, 20, 20));
        var stage3 = stage2.Transition(Weights(40, 30, 30));
        var promoted = stage3.Transition(Weights(0, 0, 100));

        Assert.Equal(2000, stage1.BucketsMovedTo(stage2));
        Assert.Equal(2000, stage2.BucketsMovedTo(stage3));
        Assert.Equal(7000, stage3.BucketsMovedTo(promoted));
    }

    [Fact]
    public void Transition_SeedSecondStage_ReleasedBucketsGoToGrowersInListedOrder()
    {
        var sut = AllocationTable.Initial(Variants, Weights(80, 10, 10));

        var next = sut.Transition(Weights(60, 20, 20));

        // control releases [6000, 8000); variant_a takes the lowest 1000 of them, variant_b the rest.
        Assert.Equal(
            [new BucketRange("control", 0, 6000), new BucketRange("variant_a", 6000, 7000), new BucketRange("variant_b", 7000, 8000),
             new BucketRange("variant_a", 8000, 9000), new BucketRange("variant_b", 9000, 10000)],
            next.ToRanges());
    }

    [Fact]
    public void NaiveCumulativeLayout_SeedFirstRamp_Moves30Percent()
    {
        // The layout many SDKs use: each stage recomputes contiguous ranges from cumulative percentages.
        var naive1 = AllocationTable.Initial(Variants, Weights(80, 10, 10));
        var naive2 = AllocationTable.Initial(Variants, Weights(60, 20, 20));
        var stable2 = naive1.Transition(Weights(60, 20, 20));

        Assert.Equal(3000, naive1.BucketsMovedTo(naive2));
        Assert.Equal(2000, naive1.BucketsMovedTo(stable2));
    }

    [Fact]
    public void Transition_RandomStageSequences_MovesExactlyTheTotalVariationDistance()
    {
        var gen =
            from variants in Gen.Choose(2, 6)
            from steps in Gen.Choose(1, 6)
            from raw in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 100), variants), steps + 1)
            select raw;

        Prop.ForAll(gen.ToArbitrary(), stages =>
        {
            var names = Enumerable.Range(0, stages[0].Length).Select(i => $"v{i}").ToArray();
            var weights = stages.Select(Normalise).ToArray();
            var table = AllocationTable.Initial(names, weights[0]);
            for (var s = 1; s < weights.Length; s++)
            {
                var next = table.Transition(weights[s]);
                var totalVariation = weights[s].Zip(weights[s - 1], (a, b) => Math.Abs(a.Buckets - b.Buckets)).Sum() / 2;
                Assert.Equal(totalVariation, table.BucketsMovedTo(next));
                Assert.Equal(weights[s].Select(w => w.Buckets), next.Counts);
                table = next;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Transition_OnlyMovesBucketsOfVariantsWhoseWeightShrank()
    {
        var sut = AllocationTable.Initial(Variants, Weights(80, 10, 10));

        var next = sut.Transition(Weights(70, 20, 10));

        for (var bucket = 0; bucket < Weight.TotalBuckets; bucket++)
        {
            if (sut.OwnerOf(bucket) != next.OwnerOf(bucket))
            {
                Assert.Equal(0, sut.OwnerOf(bucket));
                Assert.Equal(1, next.OwnerOf(bucket));
            }
        }
    }

    [Fact]
    public void FromRanges_RoundTripsEveryBucketAndRollbackMark()
    {
        var sut = AllocationTable.Initial(Variants, Weights(80, 10, 10))
            .Transition(Weights(90, 0, 10), rollbackTo: 0)
            .Transition(Weights(70, 0, 30));

        var copy = AllocationTable.FromRanges(Variants, sut.ToRanges());

        Assert.Equal(sut.ToRanges(), copy.ToRanges());
        Assert.Equal(0, sut.BucketsMovedTo(copy));
    }

    [Fact]
    public void FromRanges_Gap_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => AllocationTable.FromRanges(Variants, [new BucketRange("control", 0, 9000), new BucketRange("variant_a", 9000, 9500)]));

        Assert.Contains("9500", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initial_WeightsNotSummingTo100_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => AllocationTable.Initial(Variants, Weights(80, 10, 5)));

        Assert.Contains("95", ex.Message, StringComparison.Ordinal);
    }

    internal static Weight[] Weights(params decimal[] percents) => [.. percents.Select(Weight.FromPercent)];

    // Turns arbitrary non-negative integers into weights summing to exactly 10,000 buckets (largest remainder).
    private static Weight[] Normalise(int[] raw)
    {
        var total = raw.Sum();
        if (total == 0)
        {
            raw = [.. raw.Select((_, i) => i == 0 ? 1 : 0)];
            total = 1;
        }

        var buckets = raw.Select(r => r * Weight.TotalBuckets / total).ToArray();
        buckets[Array.IndexOf(raw, raw.Max())] += Weight.TotalBuckets - buckets.Sum();
        return [.. buckets.Select(b => new Weight(b))];
    }
}
