using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Rampart.Llm.Judging;

namespace Rampart.Llm.Tests.Judging;

/// <summary>
/// Listens to the in-process judges' counters (<see cref="InProcessJudgeBacklog.MeterName"/>) and sums them by instrument,
/// judge and reason. Meters are per process: a test reads only the judge names it alone uses.
/// </summary>
public sealed class JudgeCounts : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Judge, string? Reason), long> counts = new();

    public JudgeCounts()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == InProcessJudgeBacklog.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? judge = null, reason = null;
            foreach (var tag in tags)
            {
                judge = tag.Key == JudgeMetrics.JudgeTag ? tag.Value as string : judge;
                reason = tag.Key == JudgeMetrics.ReasonTag ? tag.Value as string : reason;
            }

            counts.AddOrUpdate((instrument.Name, judge, reason), value, (_, sum) => sum + value);
        });
        listener.Start();
    }

    public long Verdicts(string judge) => Get(JudgeMetrics.Verdicts, judge, null);

    public long Failures(string judge) => Get(JudgeMetrics.Failures, judge, null);

    public long QueueFull(string judge) => Get(JudgeMetrics.SkippedCalls, judge, JudgeMetrics.QueueFull);

    public void Dispose() => listener.Dispose();

    private long Get(string instrument, string judge, string? reason) => counts.GetValueOrDefault((instrument, judge, reason));
}
