using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Monitoring;

public sealed class RolloutSignalsTests
{
    [Fact]
    public void Add_CancelledCompletions_AreNeitherRequestsNorErrorsForTheGuardrails()
    {
        var sut = new RolloutSignals("exp");
        var completion = new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = "exp", Variant = "variant_a", Unit = "u1", Ts = DateTimeOffset.UnixEpoch, LatencyMs = 100,
        };

        sut.Add(completion);
        for (var i = 0; i < 50; i++)
        {
            sut.Add(completion with { Unit = $"u{i}", LatencyMs = 3, Error = CancelledCall.Error });
        }

        sut.Add(completion with { Error = "HTTP 500" });

        var variant = sut.Find("variant_a")!;
        Assert.Equal((2L, 1L), (variant.Requests, variant.Errors));
    }

    [Fact]
    public void Add_FeedbackOutOfTimestampOrder_TheLaterTimestampWinsAsInTheResults()
    {
        // One request rated twice, the later rating (1) arriving first and the earlier one (0) after it; a second request rated 0.
        var rated = new ExperimentEvent
        {
            Type = EventType.Feedback, Experiment = "exp", Variant = "variant_a", Unit = "u1", RequestId = "r1", Score = "user_satisfaction",
            Ts = DateTimeOffset.UnixEpoch.AddSeconds(10), Value = 1,
        };
        ExperimentEvent[] events = [rated, rated with { Ts = DateTimeOffset.UnixEpoch, Value = 0 }, rated with { Unit = "u2", RequestId = "r2", Value = 0 }];
        var sut = new RolloutSignals("exp");
        var results = new ExperimentAggregate("exp");
        for (var i = 0; i < events.Length; i++)
        {
            sut.Add(events[i]);
            results.Add(events[i], i + 1);
        }

        var monitor = sut.Find("variant_a")!.Score("user_satisfaction")!;
        var summary = results.Find("variant_a")!.FindScore("user_satisfaction")!.Summarize();
        Assert.Equal(0.5, summary.Values.Mean);
        Assert.Equal(summary.Values.Mean, monitor.Mean);
        Assert.Equal(summary.Values.Count, monitor.Count);
        Assert.Equal(summary.PerUnit.ToEstimate().Ratio, monitor.PerUnit().ToEstimate().Ratio);
    }
}
