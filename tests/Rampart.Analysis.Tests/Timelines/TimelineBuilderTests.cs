using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Timelines;
using Rampart.Core.Events;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Tests.Timelines;

public class TimelineBuilderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Variants = ["control", "variant_a"];

    [Fact]
    public void Build_LastPoint_IsTheResultsDocumentsDifference()
    {
        var events = Simulate(seed: 7, hours: 10);
        var sut = new TimelineBuilder("sim", Variants, "control", "user_satisfaction", Start, Start.AddHours(10), 10);
        var aggregate = new ExperimentAggregate("sim");
        long position = 0;
        foreach (var e in events)
        {
            sut.Add(e);
            aggregate.Add(e, ++position);
        }

        var timeline = sut.Build();
        var results = ExperimentAnalyzer.Analyze(aggregate, new AnalysisOptions { Variants = Variants });

        Assert.Equal(10, timeline.Points.Count);
        var last = timeline.Points[^1].Differences["variant_a"];
        var expected = results.Variants[1].VsControl!["user_satisfaction"].Diff!.Value;
        Assert.Equal(expected, last.Diff!.Value, 12);
        Assert.Equal(results.Variants[0].Scores["user_satisfaction"].N, last.ControlCount);
        Assert.Equal(results.Variants[1].Scores["user_satisfaction"].N, last.VariantCount);
    }

    [Fact]
    public void Build_Traffic_CountsEachWindowsExposuresAlone()
    {
        var events = Simulate(seed: 3, hours: 4);
        var sut = new TimelineBuilder("sim", Variants, "control", "user_satisfaction", Start, Start.AddHours(4), 4);
        events.ForEach(sut.Add);

        var timeline = sut.Build();

        for (var hour = 0; hour < 4; hour++)
        {
            foreach (var variant in Variants)
            {
                var expected = events.Count(e => e.Type == EventType.Exposure && e.Variant == variant && (int)(e.Ts - Start).TotalHours == hour);
                Assert.Equal(expected, timeline.Points[hour].Traffic[variant]);
            }
        }
    }

    [Fact]
    public void Build_Sequence_IsTheRunningIntersectionOfEachLooksAlwaysValidInterval()
    {
        var events = Simulate(seed: 11, hours: 6);
        var sut = new TimelineBuilder("sim", Variants, "control", "user_satisfaction", Start, Start.AddHours(6), 6);
        events.ForEach(sut.Add);

        var timeline = sut.Build();

        // Each look recomputed from the events up to the window's end, with the binary score's τ = 0.02.
        double lower = double.NegativeInfinity, upper = double.PositiveInfinity;
        for (var hour = 0; hour < 6; hour++)
        {
            var upTo = events.Where(e => e.Ts < Start.AddHours(hour + 1)).ToList();
            var clustered = DeltaMethod(upTo, "variant_a");
            var look = Msprt.AlwaysValidInterval(clustered.Difference!.Value, Math.Pow(clustered.StandardError!.Value, 2), 0.02)!.Value;
            lower = Math.Max(lower, look.Lower);
            upper = Math.Min(upper, look.Upper);
            var point = timeline.Points[hour].Differences["variant_a"];
            Assert.Equal(lower, point.Lower!.Value, 12);
            Assert.Equal(upper, point.Upper!.Value, 12);
        }
    }

    [Fact]
    public void Add_EventOlderThanAClosedWindow_CountsInTheOpenOne()
    {
        var sut = new TimelineBuilder("sim", Variants, "control", "user_satisfaction", Start, Start.AddHours(2), 2);
        sut.Add(Exposure("control", "u1", Start.AddMinutes(90)));
        sut.Add(Exposure("control", "u2", Start.AddMinutes(10)));

        var timeline = sut.Build();

        Assert.Equal(0, timeline.Points[0].Traffic["control"]);
        Assert.Equal(2, timeline.Points[1].Traffic["control"]);
    }

    private static DeltaMethodResult DeltaMethod(List<ExperimentEvent> events, string variant)
    {
        // Per unit: the sum and count of its ratings, straight from the events (every request rated once here).
        RatioAccumulator Units(string name) => events.Where(e => e.Type == EventType.Feedback && e.Variant == name)
            .GroupBy(e => e.Unit)
            .Aggregate(default(RatioAccumulator), (acc, g) => acc.Add(g.Sum(e => e.Value!.Value), g.Count()));
        return DeltaMethodTest.Compare(Units("control"), Units(variant));
    }

    private static ExperimentEvent Exposure(string variant, string unit, DateTimeOffset ts) =>
        new() { Type = EventType.Exposure, Experiment = "sim", Variant = variant, Unit = unit, Ts = ts };

    // Units arrive evenly over the hours; each is exposed, sends two requests and rates both.
    private static List<ExperimentEvent> Simulate(int seed, int hours)
    {
        var random = new Random(seed);
        var events = new List<ExperimentEvent>();
        var units = hours * 200;
        for (var u = 0; u < units; u++)
        {
            var ts = Start.AddSeconds(u * hours * 3600.0 / units);
            var variant = Variants[random.Next(2)];
            var unit = $"user-{u}";
            events.Add(Exposure(variant, unit, ts));
            for (var r = 0; r < 2; r++)
            {
                var request = $"r-{u}-{r}";
                events.Add(new() { Type = EventType.Completion, Experiment = "sim", Variant = variant, Unit = unit, RequestId = request, Ts = ts, LatencyMs = 900 });
                var satisfied = random.NextDouble() < (variant == "control" ? 0.75 : 0.8);
                events.Add(new() { Type = EventType.Feedback, Experiment = "sim", Variant = variant, Unit = unit, RequestId = request, Ts = ts, Score = "user_satisfaction", Value = satisfied ? 1 : 0 });
            }
        }

        return events;
    }
}
