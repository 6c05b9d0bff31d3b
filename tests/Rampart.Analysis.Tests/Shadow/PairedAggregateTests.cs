using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Shadow;

namespace Rampart.Analysis.Tests.Shadow;

public sealed class PairedAggregateTests
{
    private static readonly EventKey R1 = EventKey.Of("r1");

    [Fact]
    public void AddShadow_EitherOrder_JoinsThePair()
    {
        var sut = new PairedAggregate();
        sut.AddServed(R1, new PairedCall(1, false, 100, 0.01));
        sut.AddShadow("variant_a", R1, new PairedCall(2, true, 150, 0.02));
        sut.AddShadow("variant_a", EventKey.Of("r2"), new PairedCall(3, false, 300, 0.02));
        sut.AddServed(EventKey.Of("r2"), new PairedCall(4, true, 200, 0.01));

        var pairs = sut.PairsOf("variant_a");

        Assert.Equal((2L, 1L, 1L, 0L), (pairs.Pairs, pairs.ShadowOnlyFailed, pairs.ControlOnlyFailed, sut.Unmatched));
        Assert.Equal(["variant_a"], sut.Variants);
    }

    [Fact]
    public void AddShadow_TwoVariantsOnOneRequest_EachPairsWithTheServedCall()
    {
        var sut = new PairedAggregate();
        sut.AddShadow("variant_a", R1, new PairedCall(1, false, 120, 0.02));
        sut.AddServed(R1, new PairedCall(2, false, 100, 0.01));
        sut.AddShadow("variant_b", R1, new PairedCall(3, false, 90, 0.03));

        Assert.Equal([120.0], sut.PairsOf("variant_a").ShadowLatency);
        Assert.Equal([90.0], sut.PairsOf("variant_b").ShadowLatency);
        Assert.Equal([100.0], sut.PairsOf("variant_b").ControlLatency);
    }

    [Fact]
    public void AddShadow_Duplicate_TheEarlierCountsAndTheOtherIsCounted()
    {
        var sut = new PairedAggregate();
        sut.AddServed(R1, new PairedCall(1, false, 100, 0.01));
        sut.AddShadow("variant_a", R1, new PairedCall(5, false, 150, 0.02));
        sut.AddShadow("variant_a", R1, new PairedCall(3, false, 170, 0.04));
        sut.AddServed(R1, new PairedCall(9, true, 999, 0.01));

        var pairs = sut.PairsOf("variant_a");

        Assert.Equal((1L, 2L), (pairs.Pairs, sut.Duplicates));
        Assert.Equal([100.0], pairs.ControlLatency);
        Assert.Equal([170.0], pairs.ShadowLatency);
        Assert.Equal(0.04, sut.SpendOf("variant_a").Spend, 12);
        Assert.Equal(1, sut.SpendOf("variant_a").Calls);
    }

    [Fact]
    public void Add_MoreUnmatchedThanTheCap_DropsTheOldestAndKeepsEveryPair()
    {
        var sut = new PairedAggregate(maxUnmatched: 3);
        for (var i = 0; i < 10; i++)
        {
            sut.AddServed(EventKey.Of($"p{i}"), new PairedCall(i, false, 100, 0.01));
            sut.AddShadow("variant_a", EventKey.Of($"p{i}"), new PairedCall(i, false, 110, 0.01));
        }

        for (var i = 0; i < 5; i++)
        {
            sut.AddShadow("variant_a", EventKey.Of($"waiting{i}"), new PairedCall(100 + i, false, 110, 0.01));
        }

        // Cap 3: waiting0 and waiting1 were dropped; waiting0's late served call waits anew and pushes out waiting2; waiting4 pairs.
        sut.AddServed(EventKey.Of("waiting0"), new PairedCall(200, false, 100, 0.01));
        sut.AddServed(EventKey.Of("waiting4"), new PairedCall(201, false, 100, 0.01));

        Assert.Equal(11, sut.PairsOf("variant_a").Pairs);
        Assert.Equal((3L, 2L), (sut.Dropped, sut.Unmatched));
    }

    [Fact]
    public void Add_ManyDroppedEntries_TheBookkeepingStaysBounded()
    {
        var sut = new PairedAggregate(maxUnmatched: 10);
        for (var i = 0; i < 100_000; i++)
        {
            sut.AddServed(EventKey.Of($"lonely{i}"), new PairedCall(i, false, 100, 0.01));
        }

        Assert.Equal((10L, 99_990L), (sut.Unmatched, sut.Dropped));
        Assert.Equal(0, sut.PairsOf("variant_a").Pairs);
    }

    [Fact]
    public void AddVerdicts_LatestCountsAndAServedVerdictOfAnUnknownRequestIsIgnored()
    {
        var sut = new PairedAggregate();
        sut.AddServedVerdict("judge_helpfulness", R1, new PairedVerdict(1, 1, 0.9));   // before any event of r1: not a known pair
        sut.AddServed(R1, new PairedCall(2, false, 100, 0.01));
        sut.AddShadowVerdict("variant_a", "judge_helpfulness", R1, new PairedVerdict(3, 3, 0.4));
        sut.AddServedVerdict("judge_helpfulness", R1, new PairedVerdict(5, 5, 0.7));
        sut.AddServedVerdict("judge_helpfulness", R1, new PairedVerdict(4, 6, 0.1));   // an older timestamp loses
        sut.AddShadowVerdict("variant_a", "judge_helpfulness_preference", R1, new PairedVerdict(7, 7, 1));

        var pairs = sut.PairsOf("variant_a");

        var scores = Assert.Single(pairs.Scores);
        Assert.Equal(("judge_helpfulness", 0.7, 0.4), (scores.Key, scores.Value.Control.Single(), scores.Value.Shadow.Single()));
        Assert.Equal(new PairedPreference(1, 0, 0), pairs.Preferences["judge_helpfulness"]);
    }

    [Fact]
    public void Merge_TwoHalvesOfTheEvents_SamePairsAsOneAggregate()
    {
        var whole = new PairedAggregate();
        var first = new PairedAggregate();
        var second = new PairedAggregate();
        for (var i = 0; i < 20; i++)
        {
            var key = EventKey.Of($"p{i}");
            var served = new PairedCall(i, i % 7 == 0, 100 + i, 0.01);
            var shadow = new PairedCall(100 + i, i % 5 == 0, 120 + i, 0.02);
            whole.AddServed(key, served);
            whole.AddShadow("variant_a", key, shadow);
            (i % 2 == 0 ? first : second).AddServed(key, served);
            (i % 3 == 0 ? first : second).AddShadow("variant_a", key, shadow);
        }

        first.Merge(second);

        var expected = whole.PairsOf("variant_a");
        var merged = first.PairsOf("variant_a");
        Assert.Equal(
            (expected.Pairs, expected.BothOk, expected.ShadowOnlyFailed, expected.ControlOnlyFailed, expected.BothFailed),
            (merged.Pairs, merged.BothOk, merged.ShadowOnlyFailed, merged.ControlOnlyFailed, merged.BothFailed));
        Assert.Equal(expected.ShadowLatency.Order(), merged.ShadowLatency.Order());
        Assert.Equal(0, first.Unmatched);
    }
}
