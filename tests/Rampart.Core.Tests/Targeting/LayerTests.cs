using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Rampart.Core.Allocation;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Core.Tests.Targeting;

public sealed class LayerTests
{
    private static readonly HashSet<AssignmentReason> Counted = [AssignmentReason.Allocated, AssignmentReason.RolledBack, AssignmentReason.Promoted];

    [Fact]
    public void Assign_PublishedLayerVectors_EveryUnitInTheExperimentThePythonImplementationPicks()
    {
        // docs/assignment-test-vectors.json "layer", written by tests/vectors/generate_assignment_vectors.py (Python xxhash).
        using var vectors = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.File("docs/assignment-test-vectors.json")));
        var layer = vectors.RootElement.GetProperty("layer");
        var holdout = layer.GetProperty("holdout").GetDecimal();
        var assigners = layer.GetProperty("experiments").EnumerateObject().ToDictionary(
            e => e.Name,
            e => new ExperimentAssigner(InLayer(e.Name, e.Value[0].GetDecimal(), e.Value[1].GetDecimal(), holdout)));

        var units = layer.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(200, units.Count);
        foreach (var unit in units)
        {
            var id = unit.GetProperty("unit").GetString()!;
            var expected = unit.GetProperty("experiment").GetString();
            Assert.Equal(unit.GetProperty("layer_bucket").GetInt32(), new BucketHasher("layer/checkout").Bucket(id));
            var inExperiments = assigners.Where(a => Counted.Contains(a.Value.Assign(id).Reason)).Select(a => a.Key).ToList();
            Assert.Equal(expected is null or "held_out" ? [] : [expected], inExperiments);
            if (expected == "held_out")
            {
                Assert.All(assigners.Values, a => Assert.Equal(AssignmentReason.HeldOut, a.Assign(id).Reason));
            }
        }
    }

    [Fact]
    public void Assign_DisjointRangesOfOneLayer_NoUnitIsInTwoExperiments_AndTheRangesShareOutTheLayer()
    {
        // Any cut points 0 ≤ a < b ≤ 100 and holdout h: experiments [0, a), [a, b), [b, 100) of one layer.
        var gen =
            from a in Gen.Choose(1, 98)
            from b in Gen.Choose(a + 1, 99)
            from h in Gen.Choose(0, 50)
            from salt in Gen.Choose(0, 1000)
            select (a, b, h, salt);

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var experiments = new[] { (0, c.a), (c.a, c.b), (c.b, 100) }
                .Select((r, i) => new ExperimentAssigner(InLayer($"exp-{i}", r.Item1, r.Item2, c.h, layer: $"layer-{c.salt}")))
                .ToList();
            var inAny = 0;
            for (var u = 0; u < 2_000; u++)
            {
                var unit = $"unit-{c.salt}-{u}";
                var counted = experiments.Count(e => Counted.Contains(e.Assign(unit).Reason));
                Assert.InRange(counted, 0, 1);
                inAny += counted;
                var bucket = new BucketHasher($"layer/layer-{c.salt}").Bucket(unit);
                Assert.Equal(bucket < 10_000 - (c.h * 100), counted == 1);
            }

            Assert.True(inAny > 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Assign_HoldoutUnderRampsAndRangeChanges_TheSameUnitsHeldOut()
    {
        var gen = from salt in Gen.Choose(0, 10_000) from h in Gen.Choose(1, 50) select (salt, h);

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var first = InLayer("exp-a", 0, 50, c.h, layer: $"l{c.salt}");
            var ramped = Rollout.Advance(first, SeedExperiment.Epoch.AddDays(1), "test").Experiment;
            var promoted = Rollout.Promote(ramped, "variant_a", SeedExperiment.Epoch.AddDays(2), "test").Experiment;
            var other = InLayer("exp-b", 50, 100, c.h, layer: $"l{c.salt}");
            var assigners = new[] { first, ramped, promoted, other }.Select(e => new ExperimentAssigner(e)).ToList();
            for (var u = 0; u < 1_000; u++)
            {
                var unit = $"u{u}";
                var held = assigners.Select(a => a.Assign(unit).Reason == AssignmentReason.HeldOut).Distinct().ToList();
                Assert.Single(held);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Assign_UnitInTheRange_GetsTheVariantItWouldWithoutTheLayer()
    {
        var plain = SeedExperiment.Running();
        var layered = new ExperimentAssigner(InLayer(plain.Key, 0, 100, 0));
        var unlayered = new ExperimentAssigner(plain);

        for (var u = 0; u < 5_000; u++)
        {
            Assert.Equal(unlayered.Assign($"user-{u}"), layered.Assign($"user-{u}"));
        }
    }

    [Theory]
    [InlineData("""{"name": "checkout"}""", "layer.range is required")]
    [InlineData("""{"name": "checkout", "range": [50, 50]}""", "layer.range [50, 50] must start below its end")]
    [InlineData("""{"name": "checkout", "range": [0, 101]}""", "layer.range is required")]
    [InlineData("""{"name": "checkout", "range": [0, 33.333]}""", "layer.range is required")]
    [InlineData("""{"name": "Check Out", "range": [0, 50]}""", "layer.name 'Check Out' is invalid")]
    [InlineData("""{"name": "checkout", "range": [0, 50], "holdout": 60}""", "layer.holdout must be a percentage from 0 to 50")]
    [InlineData("""{"name": "checkout", "range": [0, 50], "share": 5}""", "layer.share")]
    [InlineData("""["checkout"]""", "layer must be")]
    public void Parse_BadLayer_NamesTheField(string layer, string problem)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(
            """{"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m"}},"stages":[{"weights":{"a":50,"b":50}}],"layer":""" + layer + "}"));

        Assert.Contains(ex.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Conflicts_OverlappingRangeOrAnotherHoldout_NamesTheFieldAndTheOtherExperiment()
    {
        var copy = InLayer("checkout-copy", 0, 40, 5).Definition;
        var price = InLayer("checkout-price", 30, 95, 5).Definition;
        var elsewhere = InLayer("search", 0, 100, 0, layer: "search").Definition;
        var greedy = InLayer("checkout-greedy", 95, 100, 10).Definition;

        Assert.Equal(
            ["layer.range [30, 95] overlaps experiment 'checkout-copy''s range [0, 40] of layer 'checkout'; experiments of one layer take disjoint ranges"],
            LayerRules.Conflicts(price, [copy, elsewhere, price]));
        Assert.Equal(
            ["layer.holdout 10 differs from layer 'checkout''s holdout 5 (experiment 'checkout-copy'); every experiment of a layer holds out the same units"],
            LayerRules.Conflicts(greedy, [copy]));
        Assert.Empty(LayerRules.Conflicts(copy, [elsewhere, copy]));
    }

    [Fact]
    public void WriteThenParse_Layer_RoundTrips()
    {
        var original = InLayer("checkout-copy", 12.5m, 40, 2.25m).Definition;

        var json = ExperimentDefinitionJson.Write(original);

        Assert.Equal(original.Layer, ExperimentDefinitionJson.Parse(json).Layer);
        Assert.Contains("\"layer\":{\"name\":\"checkout\",\"range\":[12.5,40],\"holdout\":2.25}", json.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static Experiment InLayer(string key, decimal start, decimal end, decimal holdout, string layer = "checkout")
    {
        var definition = SeedExperiment.Definition(key) with
        {
            Layer = new LayerMembership(layer, Weight.FromPercent(start), Weight.FromPercent(end), Weight.FromPercent(holdout)),
        };
        return Rollout.Start(Experiment.CreateDraft(definition, SeedExperiment.Epoch), SeedExperiment.Epoch, "test").Experiment;
    }
}
