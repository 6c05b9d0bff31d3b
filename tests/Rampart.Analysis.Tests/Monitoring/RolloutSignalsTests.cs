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
}
