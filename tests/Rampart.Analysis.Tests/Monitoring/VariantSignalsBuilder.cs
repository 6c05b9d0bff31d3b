using Rampart.Analysis.Monitoring;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Monitoring;

/// <summary>Feeds completion events of one variant into real <see cref="RolloutSignals"/>.</summary>
public sealed class VariantSignalsBuilder(string variant)
{
    private readonly RolloutSignals signals = new("exp");
    private long count;

    public VariantSignals Signals => signals.Find(variant)!;

    public void Add(bool failed, double latencyMs) => signals.Add(new ExperimentEvent
    {
        Type = EventType.Completion, Experiment = "exp", Variant = variant, Unit = $"u-{count++ % 997}", Ts = DateTimeOffset.UnixEpoch,
        LatencyMs = latencyMs, Error = failed ? "boom" : null,
    });
}
