using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Analysis.Segments;
using Rampart.Core.Experiments;

namespace Rampart.Analysis.Tests.Segments;

public class SegmentedAnalyzerTests
{
    // p-values: 1e-6 absolute; the reference values come from statsmodels 0.13 on the same units.
    private const double Tolerance = 1e-6;

    private static readonly AnalysisOptions TwoVariants = new() { Variants = ["control", "variant"] };

    [Fact]
    public void Analyze_TwoSegments_PValuesMatchStatsmodels()
    {
        // FR: control 75/150, variant 96/150; US: control 72/120, variant 65/130 (one binary score per unit).
        var events = new SegmentEvents()
            .Segment("country", "FR", "control", 75, 150).Segment("country", "FR", "variant", 96, 150)
            .Segment("country", "US", "control", 72, 120).Segment("country", "US", "variant", 65, 130);

        var sut = SegmentedAnalyzer.Analyze(events.Events, SegmentEvents.Experiment, "country", TwoVariants);

        Assert.Equal(["FR", "US"], sut.Segments.Select(s => s.Name));
        Assert.Equal([300L, 250L], sut.Segments.Select(s => s.Units));
        var fr = sut.Segments[0].Variants[1];
        var us = sut.Segments[1].Variants[1];
        Assert.Equal(0.64 - 0.5, fr.Diff!.Value, 12);
        // from statsmodels.stats.weightstats import CompareMeans, DescrStatsW
        // CompareMeans(DescrStatsW([1.]*96+[0.]*54), DescrStatsW([1.]*75+[0.]*75)).ztest_ind(usevar='unequal')[1]
        Assert.Equal(0.01367903848729564, fr.PValue!.Value, Tolerance);
        // CompareMeans(DescrStatsW([1.]*65+[0.]*65), DescrStatsW([1.]*72+[0.]*48)).ztest_ind(usevar='unequal')[1]
        Assert.Equal(0.11180089397169739, us.PValue!.Value, Tolerance);
        // statsmodels.stats.multitest.multipletests([0.01367903848729564, 0.11180089397169739], method='holm')[1]
        Assert.Equal(0.02735807697459128, fr.PValueHolm!.Value, Tolerance);
        Assert.Equal(0.11180089397169739, us.PValueHolm!.Value, Tolerance);
        // CompareMeans(DescrStatsW([1.]*161+[0.]*119), DescrStatsW([1.]*147+[0.]*123)).ztest_ind(usevar='unequal')[1]
        Assert.Equal(0.47114479657864294, sut.Overall.Single().PValue!.Value, Tolerance);
        Assert.Equal([SegmentFlags.Better], fr.Flags);
        Assert.Empty(us.Flags);
        Assert.Empty(sut.Warnings);
    }

    [Fact]
    public void Analyze_SmallSegments_ArePooledIntoOther()
    {
        var events = new SegmentEvents()
            .Segment("country", "FR", "control", 60, 130).Segment("country", "FR", "variant", 70, 130)
            .Segment("country", "DE", "control", 10, 20).Segment("country", "DE", "variant", 10, 20)
            .Segment("country", "IT", "control", 5, 10).Segment("country", "IT", "variant", 5, 10)
            .Units("control", null, 3, 5).Units("variant", "{\"plan\":\"pro\"}", 3, 5);

        var sut = SegmentedAnalyzer.Analyze(events.Events, SegmentEvents.Experiment, "country", TwoVariants);

        Assert.Equal(200, sut.MinSegmentUnits);
        Assert.Equal(["FR", SegmentedAnalyzer.Other], sut.Segments.Select(s => s.Name));
        var other = sut.Segments[1];
        Assert.Equal(70, other.Units);
        Assert.Equal(["DE", "IT", SegmentedAnalyzer.None], other.Values);
        Assert.Equal(35, other.Variants[0].Units);
        Assert.Null(other.Variants[1].PValue);   // 35 units per variant: below the per-unit test's minimum
        Assert.Contains(sut.Warnings, w => w.Contains("3 values of country", StringComparison.Ordinal) && w.Contains("'other'", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_UnitWhoseLaterExposureCarriesTheAttribute_CountsInThatSegment()
    {
        var events = new SegmentEvents().Units("variant", null, 1, 1).Events.ToList();
        var exposure = events[0];
        events.Add(exposure with { Attributes = "{\"country\":\"FR\"}", Ts = exposure.Ts.AddMinutes(5) });
        events.Add(exposure with { Attributes = "{\"country\":\"US\"}", Ts = exposure.Ts.AddMinutes(6) });

        var sut = SegmentedAnalyzer.Analyze(events, SegmentEvents.Experiment, "country", TwoVariants);

        var other = Assert.Single(sut.Segments);
        Assert.Equal(["FR"], other.Values);
        Assert.Equal(1, other.Units);
    }

    [Fact]
    public void Analyze_SegmentWorseWhileBetterOverall_IsFlaggedHarmedAndBlocksPromotion()
    {
        var events = HarmedExperiment();
        var options = TwoVariants with { Promotion = new PromotionOptions(MinUnits: 100) { MaxSegmentDrop = 0.1 } };
        var overall = ExperimentAnalyzer.Analyze(Aggregate(events), options);

        var sut = SegmentedAnalyzer.Analyze(events.Events, SegmentEvents.Experiment, "plan", options);

        Assert.Equal(RecommendedAction.Promote, overall.Recommendation.Action);
        var team = sut.Segments.Single(s => s.Name == "team").Variants[1];
        Assert.Equal([SegmentFlags.Worse, SegmentFlags.Harmed, SegmentFlags.BlocksPromotion], team.Flags);
        Assert.Equal([SegmentFlags.Better], sut.Segments.Single(s => s.Name == "pro").Variants[1].Flags);
        Assert.Equal(RecommendedAction.Continue, sut.Recommendation.Action);
        Assert.Null(sut.Recommendation.Variant);
        Assert.Contains(sut.Recommendation.Reasons, r => r.StartsWith("variant is significantly worse than the control in segment plan=team: user_satisfaction diff -0.2 (Holm-adjusted across segments p ", StringComparison.Ordinal) && r.EndsWith("more than promotion.max_segment_drop 0.1 below.", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_HarmedByLessThanTheMaxDrop_StillPromotes()
    {
        var events = HarmedExperiment();
        var options = TwoVariants with { Promotion = new PromotionOptions(MinUnits: 100) { MaxSegmentDrop = 0.25 } };

        var sut = SegmentedAnalyzer.Analyze(events.Events, SegmentEvents.Experiment, "plan", options);

        Assert.Equal([SegmentFlags.Worse, SegmentFlags.Harmed], sut.Segments.Single(s => s.Name == "team").Variants[1].Flags);
        Assert.Equal(RecommendedAction.Promote, sut.Recommendation.Action);
    }

    [Fact]
    public void Analyze_KidneyStones_WarnsOfSimpsonsParadox()
    {
        // Charig et al. 1986: treatment A (here the variant) succeeds more often in both small and large stones, yet less often
        // overall, because it was given mostly the harder, large stones.
        var events = new SegmentEvents()
            .Segment("stone", "small", "variant", 81, 87).Segment("stone", "small", "control", 234, 270)
            .Segment("stone", "large", "variant", 192, 263).Segment("stone", "large", "control", 55, 80);

        var sut = SegmentedAnalyzer.Analyze(events.Events, SegmentEvents.Experiment, "stone", TwoVariants);

        Assert.True(sut.Overall.Single().Diff < 0);   // 273/350 vs 289/350
        Assert.All(sut.Segments, s => Assert.True(s.Variants[1].Diff > 0));
        var warning = Assert.Single(sut.Warnings);
        Assert.StartsWith("Simpson's paradox for variant:", warning, StringComparison.Ordinal);
        // The rule, by hand: (357 × (81/87 − 234/270) + 343 × (192/263 − 55/80)) / 700
        var weighted = (357 * (81.0 / 87 - 234.0 / 270) + 343 * (192.0 / 263 - 55.0 / 80)) / 700;
        Assert.Equal(weighted, SegmentWarnings.WeightedDifference("variant", sut.Segments)!.Value, 12);
        // CompareMeans(DescrStatsW([1.]*81+[0.]*6), DescrStatsW([1.]*234+[0.]*36)).ztest_ind(usevar='unequal')[1] = 0.06053881856873816
        // CompareMeans(DescrStatsW([1.]*192+[0.]*71), DescrStatsW([1.]*55+[0.]*25)).ztest_ind(usevar='unequal')[1] = 0.4703302749783105
        // multipletests([0.06053881856873816, 0.4703302749783105], method='holm')[1] = [0.12107763713747632, 0.4703302749783105]
        Assert.Equal(0.12107763713747632, sut.Segments.Single(s => s.Name == "small").Variants[1].PValueHolm!.Value, Tolerance);
        Assert.Equal(0.4703302749783105, sut.Segments.Single(s => s.Name == "large").Variants[1].PValueHolm!.Value, Tolerance);
    }

    [Fact]
    public void Serialize_RoundTrips_InSnakeCase()
    {
        var events = new SegmentEvents()
            .Segment("country", "FR", "control", 75, 150).Segment("country", "FR", "variant", 96, 150);
        var results = SegmentedAnalyzer.Analyze(events.Events, SegmentEvents.Experiment, "country", TwoVariants);

        var json = SegmentedResultsJson.Serialize(results);
        var sut = SegmentedResultsJson.Parse(json);

        Assert.Contains("\"min_segment_units\": 200", json, StringComparison.Ordinal);
        Assert.Contains("\"p_value_holm\"", json, StringComparison.Ordinal);
        Assert.Contains("\"action\": \"continue\"", json, StringComparison.Ordinal);
        Assert.Equal(results.Segments[0].Variants[1].PValueHolm, sut.Segments[0].Variants[1].PValueHolm);
        Assert.Equal(results.Segments[0].Values, sut.Segments[0].Values);
    }

    // pro: control 150/300, variant 240/300; team: control 105/150, variant 75/150. Better overall (315/450 vs 255/450), worse in team by 0.2.
    private static SegmentEvents HarmedExperiment() => new SegmentEvents()
        .Segment("plan", "pro", "control", 150, 300).Segment("plan", "pro", "variant", 240, 300)
        .Segment("plan", "team", "control", 105, 150).Segment("plan", "team", "variant", 75, 150);

    private static ExperimentAggregate Aggregate(SegmentEvents events)
    {
        var aggregate = new ExperimentAggregate(SegmentEvents.Experiment);
        long sequence = 0;
        foreach (var e in events.Events)
        {
            aggregate.Add(e, ++sequence);
        }

        return aggregate;
    }
}
