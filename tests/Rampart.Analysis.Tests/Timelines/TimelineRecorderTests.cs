using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Timelines;
using Rampart.Core.Events;
using Rampart.Stats.Ratios;
using Rampart.Stats.Sequential;

namespace Rampart.Analysis.Tests.Timelines;

public class TimelineRecorderTests
{
    private const string Score = "user_satisfaction";
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Variants = ["control", "variant_a"];

    [Fact]
    public void Build_LastPoint_IsTheResultsDocumentsDifference_AfterMergingBuckets()
    {
        // Ten hours from a 100 ms start: the buckets merge pairwise nine times (to 51.2 s) before the end.
        var events = Simulate(seed: 7, hours: 10);
        var sut = Record(events);
        var aggregate = new ExperimentAggregate("sim");
        long position = 0;
        events.ForEach(e => aggregate.Add(e, ++position));

        var timeline = sut.Build(Variants, "control", Score, 10);
        var results = ExperimentAnalyzer.Analyze(aggregate, new AnalysisOptions { Variants = Variants });

        Assert.Equal(10, timeline.Points.Count);
        var last = timeline.Points[^1].Differences["variant_a"];
        Assert.Equal(results.Variants[1].VsControl![Score].Diff!.Value, last.Diff!.Value, 12);
        Assert.Equal(results.Variants[0].Scores[Score].N, last.ControlCount);
        Assert.Equal(results.Variants[1].Scores[Score].N, last.VariantCount);
    }

    [Fact]
    public void Build_Traffic_CountsEachWindowsExposuresAlone()
    {
        var events = Simulate(seed: 3, hours: 4);
        var sut = Record(events);

        var timeline = sut.Build(Variants, "control", Score, 4);

        var from = timeline.From;
        foreach (var point in timeline.Points)
        {
            foreach (var variant in Variants)
            {
                var expected = events.Count(e => e.Type == EventType.Exposure && e.Variant == variant && e.Ts >= from && e.Ts < point.End);
                Assert.Equal(expected, point.Traffic[variant]);
            }

            from = point.End;
        }

        Assert.Equal(events.Count(e => e.Type == EventType.Exposure), timeline.Points.Sum(p => p.Traffic.Values.Sum()));
    }

    [Fact]
    public void Build_Sequence_IsTheRunningIntersectionOfEachLooksAlwaysValidInterval()
    {
        var events = Simulate(seed: 11, hours: 6);
        var sut = Record(events);

        var timeline = sut.Build(Variants, "control", Score, 6);

        // Each look recomputed from the events before the window's end (latest rating per request), with the binary score's τ = 0.02.
        double lower = double.NegativeInfinity, upper = double.PositiveInfinity;
        foreach (var point in timeline.Points)
        {
            var clustered = DeltaMethod([.. events.Where(e => e.Ts < point.End)]);
            var look = Msprt.AlwaysValidInterval(clustered.Difference!.Value, Math.Pow(clustered.StandardError!.Value, 2), 0.02)!.Value;
            lower = Math.Max(lower, look.Lower);
            upper = Math.Min(upper, look.Upper);
            var difference = point.Differences["variant_a"];
            Assert.Equal(clustered.Difference!.Value, difference.Diff!.Value, 12);
            Assert.Equal(lower, difference.Lower!.Value, 9);
            Assert.Equal(upper, difference.Upper!.Value, 9);
        }
    }

    [Fact]
    public void Add_ALaterRatingOfARequest_ReplacesTheEarlierOne()
    {
        var sut = new TimelineRecorder("sim");
        sut.Add(Rating("control", "u1", "r1", Start, 0), 1);
        sut.Add(Rating("control", "u2", "r2", Start, 1), 2);
        sut.Add(Rating("variant_a", "u3", "r3", Start, 1), 3);
        sut.Add(Rating("control", "u1", "r1", Start.AddMinutes(1), 1), 4);    // r1 re-rated: 1 now
        sut.Add(Rating("control", "u2", "r2", Start.AddSeconds(-1), 0), 5);   // an older rating of r2: ignored

        var last = sut.Build(Variants, "control", Score, 1).Points[^1].Differences["variant_a"];

        Assert.Equal(2, last.ControlCount);
        Assert.Equal(0.0, last.Diff!.Value, 12); // control: (1 + 1) / 2; variant_a: 1
    }

    [Fact]
    public void Add_EventBeforeTheFirst_CountsInTheFirstWindow()
    {
        var sut = new TimelineRecorder("sim");
        sut.Add(Exposure("control", "u1", Start.AddMinutes(90)), 1);
        sut.Add(Exposure("control", "u2", Start), 2);

        var timeline = sut.Build(Variants, "control", Score, 1);

        Assert.Equal(2, timeline.Points.Single().Traffic["control"]);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("9999-12-31T23:59:59.95Z")]
    public void Build_EventAtTheEndOfTime_EndsItsWindowAtTheLastRepresentableTime(string ts)
    {
        // A valid timestamp whose 100 ms bucket (or, with an event of today, whose merged bucket) ends past DateTimeOffset.MaxValue.
        var last = DateTimeOffset.Parse(ts, System.Globalization.CultureInfo.InvariantCulture);
        var alone = new TimelineRecorder("sim");
        alone.Add(Exposure("control", "u1", last), 1);
        var withToday = new TimelineRecorder("sim");
        withToday.Add(Exposure("control", "u1", Start), 1);
        withToday.Add(Exposure("variant_a", "u2", last), 2);

        var one = alone.Build(Variants, "control", Score, 60);
        var two = withToday.Build(Variants, "control", Score, 60);

        Assert.Equal(DateTimeOffset.MaxValue, one.To);
        Assert.Equal(1, one.Points.Single().Traffic["control"]);
        Assert.Equal(DateTimeOffset.MaxValue, two.To);
        Assert.Equal((1, 1), (two.Points.Sum(p => p.Traffic["control"]), two.Points.Sum(p => p.Traffic["variant_a"])));
        Assert.True(two.Points.Zip(two.Points.Skip(1)).All(p => p.First.End <= p.Second.End));
    }

    private static TimelineRecorder Record(List<ExperimentEvent> events)
    {
        var sut = new TimelineRecorder("sim");
        long position = 0;
        events.ForEach(e => sut.Add(e, ++position));
        return sut;
    }

    private static DeltaMethodResult DeltaMethod(List<ExperimentEvent> events)
    {
        // Per unit: the sum and count of its requests' latest ratings, straight from the events.
        RatioAccumulator Units(string name) => events.Where(e => e.Type == EventType.Feedback && e.Variant == name)
            .GroupBy(e => e.RequestId).Select(g => g.Last())
            .GroupBy(e => e.Unit)
            .Aggregate(default(RatioAccumulator), (acc, g) => acc.Add(g.Sum(e => e.Value!.Value), g.Count()));
        return DeltaMethodTest.Compare(Units("control"), Units("variant_a"));
    }

    private static ExperimentEvent Exposure(string variant, string unit, DateTimeOffset ts) =>
        new() { Type = EventType.Exposure, Experiment = "sim", Variant = variant, Unit = unit, Ts = ts };

    private static ExperimentEvent Rating(string variant, string unit, string request, DateTimeOffset ts, double value) =>
        new() { Type = EventType.Feedback, Experiment = "sim", Variant = variant, Unit = unit, RequestId = request, Ts = ts, Score = Score, Value = value };

    // Units arrive evenly over the hours; each is exposed, sends two requests and rates both; every tenth rating is
    // revised a second later.
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
                events.Add(Rating(variant, unit, request, ts, satisfied ? 1 : 0));
                if (random.Next(10) == 0)
                {
                    events.Add(Rating(variant, unit, request, ts.AddSeconds(1), satisfied ? 0 : 1));
                }
            }
        }

        return events;
    }
}
