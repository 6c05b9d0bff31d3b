using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Rampart.Llm.Shadowing;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Tests.Shadowing;

/// <summary>
/// Listens to the server's shadow counters directly, summed by instrument, experiment, variant and reason. Every test host
/// in the process has a meter of the same name, so a test reads only the experiment key it alone uses; unlike the
/// Prometheus exporter, the listener keeps counting when another host's meter goes away.
/// </summary>
internal sealed class ShadowCounts : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Experiment, string? Variant, string? Reason), long> counts = new();

    public ShadowCounts()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RampartTelemetry.MeterName && instrument.Name.StartsWith("rampart.shadow.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? experiment = null, variant = null, reason = null;
            foreach (var tag in tags)
            {
                experiment = tag.Key == ShadowMetrics.ExperimentTag ? tag.Value as string : experiment;
                variant = tag.Key == ShadowMetrics.VariantTag ? tag.Value as string : variant;
                reason = tag.Key == ShadowMetrics.ReasonTag ? tag.Value as string : reason;
            }

            counts.AddOrUpdate((instrument.Name, experiment, variant, reason), value, (_, sum) => sum + value);
        });
        listener.Start();
    }

    public long Calls(string experiment, string variant) => Get(ShadowMetrics.Calls, experiment, variant, null);

    public long Failures(string experiment, string variant) => Get(ShadowMetrics.Failures, experiment, variant, null);

    public long Skipped(string experiment, string variant, string reason) => Get(ShadowMetrics.SkippedCalls, experiment, variant, reason);

    public long Unstored(string experiment, string variant) => Get(ShadowMetrics.UnstoredCompletions, experiment, variant, null);

    public void Dispose() => listener.Dispose();

    private long Get(string instrument, string experiment, string variant, string? reason) => counts.GetValueOrDefault((instrument, experiment, variant, reason));
}
