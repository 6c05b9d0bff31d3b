using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Aggregation;

public sealed class ExperimentAggregateTests
{
    [Fact]
    public void Subset_KeepsTheChosenVariantsWithTheirStageUnitsAndTheEventTimes()
    {
        var sut = new ExperimentAggregate("e");
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        long sequence = 0;
        foreach (var (variant, hours) in new[] { ("control", 0), ("variant_a", 5), ("old", 9) })
        {
            sut.Add(new ExperimentEvent { Id = variant, Ts = start.AddHours(hours), Experiment = "e", Variant = variant, Unit = "u-" + variant, Type = EventType.Exposure, Stage = 1 }, ++sequence);
        }

        var subset = sut.Subset(name => name != "old");

        Assert.Equal(["control", "variant_a"], subset.Variants.Select(v => v.Name));
        Assert.Equal((1L, 1L, 0L), (subset.UnitsAtStage(1, "control", true), subset.UnitsAtStage(1, "variant_a", true), subset.UnitsAtStage(1, "old", true)));
        Assert.Equal((start, start.AddHours(9)), (subset.FirstEventAt, subset.LastEventAt));
    }

    private static readonly string[] Variants = ["control", "variant_a", "variant_b"];
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Merge_ThreePartsInEitherGrouping_EqualsAggregatingTheUnion() =>
        Prop.ForAll(Events().ToArbitrary(), Gen.Elements(QuantileMode.Exact, QuantileMode.Sketch).ToArbitrary(), (events, mode) =>
        {
            var cut1 = events.Length / 3;
            var cut2 = 2 * events.Length / 3;
            var (a, b, c) = (Build(events, 0, cut1, mode), Build(events, cut1, cut2, mode), Build(events, cut2, events.Length, mode));
            var (a2, b2, c2) = (Build(events, 0, cut1, mode), Build(events, cut1, cut2, mode), Build(events, cut2, events.Length, mode));
            a.Merge(b);
            a.Merge(c);
            b2.Merge(c2);
            a2.Merge(b2);

            var whole = Json(Build(events, 0, events.Length, mode));
            AssertClose(whole, Json(a), "$");
            AssertClose(whole, Json(a2), "$");
        });

    [Fact]
    public void Add_CancelledCompletion_CountsNeitherRequestNorErrorNorLatency()
    {
        var sut = new ExperimentAggregate("exp");
        var completion = new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = "exp", Variant = "control", Unit = "u1", Ts = Start, LatencyMs = 100,
        };

        sut.Add(completion, 1);
        sut.Add(completion with { LatencyMs = 5, Error = CancelledCall.Error }, 2);
        sut.Add(completion with { LatencyMs = 7, Error = "boom" }, 3);

        var control = sut.Find("control")!;
        Assert.Equal((2L, 1L), (control.Requests, control.Errors));
    }

    [Fact]
    public void Merge_OtherExperiment_Throws()
    {
        var sut = new ExperimentAggregate("e1");

        Assert.Throws<ArgumentException>(() => sut.Merge(new ExperimentAggregate("e2")));
        Assert.Throws<ArgumentException>(() => sut.Merge(new ExperimentAggregate("e1", QuantileMode.Sketch)));
    }

    [Fact]
    public void Add_EventOfOtherExperiment_Throws()
    {
        var sut = new ExperimentAggregate("e1");
        var e = new ExperimentEvent { Type = EventType.Exposure, Experiment = "e2", Variant = "v", Unit = "u", Ts = Start };

        Assert.Throws<ArgumentException>(() => sut.Add(e, 1));
    }

    [Fact]
    public void Add_StoredEventOutOfRange_ThrowsNamingTheFieldAndAddsNothing()
    {
        var sut = new ExperimentAggregate("e1");
        var poisoned = new ExperimentEvent { Type = EventType.Completion, Experiment = "e1", Variant = "v", Unit = "u", Ts = Start, LatencyMs = 1e200 };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sut.Add(poisoned, 1));

        Assert.Equal("latency_ms", ex.ParamName);
        Assert.Empty(sut.Variants);
    }

    [Fact]
    public void HasExposures_OnlyCompletions_CountsUnitsAmongCompletions()
    {
        var sut = new ExperimentAggregate("e1");
        sut.Add(Completion("u1", 10), 1);
        sut.Add(Completion("u1", 20), 2);
        sut.Add(Completion("u2", 30), 3);

        Assert.False(sut.HasExposures);
        Assert.Equal(2, sut.Find("control")!.CountUnits(fromExposures: false));
        Assert.Equal(0, sut.Find("control")!.CountUnits(fromExposures: true));
    }

    private static ExperimentEvent Completion(string unit, double latency) => new()
    {
        Type = EventType.Completion, Experiment = "e1", Variant = "control", Unit = unit, Ts = Start, LatencyMs = latency,
    };

    private static ExperimentAggregate Build(ExperimentEvent[] events, int from, int to, QuantileMode mode)
    {
        var aggregate = new ExperimentAggregate("e1", mode);
        for (var i = from; i < to; i++)
        {
            aggregate.Add(events[i], i);
        }

        return aggregate;
    }

    private static JsonNode Json(ExperimentAggregate aggregate) =>
        JsonNode.Parse(ResultsJson.Serialize(ExperimentAnalyzer.Analyze(aggregate, new AnalysisOptions { Variants = Variants })))!;

    // Numbers agree to 1e-9 relative (sums in another order round differently); everything else exactly, except the reasons' prose.
    private static void AssertClose(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual}");
                break;
            case JsonObject o:
                var other = Assert.IsType<JsonObject>(actual);
                Assert.Equal(o.Select(p => p.Key), other.Select(p => p.Key));
                foreach (var (key, value) in o)
                {
                    if (key is not "reasons" and not "details")
                    {
                        AssertClose(value, other[key], $"{path}.{key}");
                    }
                }

                break;
            case JsonArray a:
                var array = Assert.IsType<JsonArray>(actual);
                Assert.Equal(a.Count, array.Count);
                for (var i = 0; i < a.Count; i++)
                {
                    AssertClose(a[i], array[i], $"{path}[{i}]");
                }

                break;
            default:
                if (expected.GetValueKind() == System.Text.Json.JsonValueKind.Number)
                {
                    var (e, v) = (expected.GetValue<double>(), actual!.GetValue<double>());
                    Assert.True(Math.Abs(e - v) <= (1e-9 * Math.Abs(e)) + 1e-12, $"{path}: {e:R} vs {v:R}");
                }
                else
                {
                    Assert.Equal(expected.ToJsonString(), actual?.ToJsonString());
                }

                break;
        }
    }

    private static Gen<ExperimentEvent[]> Events() =>
        Gen.Choose(0, 400).SelectMany(n => Gen.ArrayOf(Event(), n));

    private static Gen<ExperimentEvent> Event() =>
        from type in Gen.Choose(0, 2)
        from variant in Gen.Choose(0, 2)
        from unit in Gen.Choose(0, 30)
        from request in Gen.Choose(-1, 40)
        from seconds in Gen.Choose(0, 20)
        from latency in Gen.Choose(1, 5000)
        from failed in Gen.Choose(0, 9)
        from cost in Gen.Choose(-1, 100)
        from score in Gen.Elements("user_satisfaction", "helpfulness")
        from value in Gen.Choose(0, 5)
        select new ExperimentEvent
        {
            Type = (EventType)type,
            Experiment = "e1",
            Variant = Variants[variant],
            Unit = $"u{unit}",
            RequestId = request < 0 ? null : $"r{request}",
            Ts = Start.AddSeconds(seconds),
            LatencyMs = latency / 10.0,
            Error = failed == 0 ? "boom" : null,
            CostUsd = cost < 0 ? null : cost / 1000.0,
            PromptTokens = latency % 7 == 0 ? null : latency / 10,
            CompletionTokens = latency / 20,
            Score = score,
            Value = score == "user_satisfaction" ? value % 2 : value,
        };
}
