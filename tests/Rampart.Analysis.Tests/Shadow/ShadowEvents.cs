using System.Text;
using System.Text.Json;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Monitoring;
using Rampart.Analysis.Reading;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Shadow;

/// <summary>Builds a shadow stage's events by hand: served completions with a pair id, shadow completions, and verdicts on both.</summary>
internal sealed class ShadowEvents
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private int second;

    public string Experiment { get; init; } = "prompt-opt-v2";

    public List<ExperimentEvent> Events { get; } = [];

    /// <summary>The control's served completion of request <paramref name="pair"/>, which a shadow variant sampled.</summary>
    public ShadowEvents Served(string pair, double latencyMs, bool failed = false, double? cost = 0.01) =>
        Add(new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = Experiment, Variant = "control", Unit = "u-" + pair, Ts = Ts(), Stage = 0,
            RequestId = pair, PairId = pair, LatencyMs = latencyMs, CostUsd = cost, Error = failed ? "boom" : null,
        });

    /// <summary>A served completion no shadow variant sampled.</summary>
    public ShadowEvents Plain(string request, double latencyMs) =>
        Add(new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = Experiment, Variant = "control", Unit = "u-" + request, Ts = Ts(), Stage = 0,
            RequestId = request, LatencyMs = latencyMs, CostUsd = 0.01,
        });

    /// <summary><paramref name="variant"/>'s shadow completion of the served request <paramref name="pair"/>.</summary>
    public ShadowEvents Shadowed(string variant, string pair, double latencyMs, bool failed = false, double? cost = 0.02) =>
        Add(new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = Experiment, Variant = variant, Unit = "u-" + pair, Ts = Ts(), Stage = 0,
            RequestId = pair + "-" + variant, PairId = pair, Shadow = true, LatencyMs = latencyMs, CostUsd = cost, Error = failed ? "boom" : null,
        });

    /// <summary>A judge's verdict on the served answer of <paramref name="pair"/>.</summary>
    public ShadowEvents ServedVerdict(string pair, double value, string score = "judge_helpfulness") =>
        Add(new ExperimentEvent
        {
            Type = EventType.Feedback, Experiment = Experiment, Variant = "control", Unit = "u-" + pair, Ts = Ts(),
            RequestId = pair, Score = score, Value = value, Source = "judge", Model = "judge-m", CostUsd = 0.001,
        });

    /// <summary>A judge's verdict on <paramref name="variant"/>'s shadow answer to <paramref name="pair"/>.</summary>
    public ShadowEvents ShadowVerdict(string variant, string pair, double value, string score = "judge_helpfulness") =>
        Add(new ExperimentEvent
        {
            Type = EventType.Feedback, Experiment = Experiment, Variant = variant, Unit = "u-" + pair, Ts = Ts(),
            RequestId = pair + "-" + variant, PairId = pair, Shadow = true, Score = score, Value = value, Source = "judge", Model = "judge-m", CostUsd = 0.001,
        });

    public ShadowEvents Add(ExperimentEvent e)
    {
        Events.Add(e with { Id = $"e{Events.Count}" });
        return this;
    }

    /// <summary>The events as a JSON Lines file, one line each.</summary>
    public string Lines()
    {
        var text = new StringBuilder();
        foreach (var e in Events)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventLineWriter.Encoder }))
            {
                EventLineWriter.Write(writer, e);
            }

            text.Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The aggregate as the file reader builds it.</summary>
    public ExperimentAggregate FromFile() =>
        EventFileReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Lines()))).Experiments.Single();

    /// <summary>The aggregate as the store path builds it: each event parsed back from its line, then added in order.</summary>
    public ExperimentAggregate FromStore()
    {
        var aggregate = new ExperimentAggregate(Experiment);
        var n = 0;
        foreach (var line in Lines().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            n++;
            aggregate.Add(EventLineParser.Parse(line, n), n);
        }

        return aggregate;
    }

    /// <summary>The monitor's signals of these events.</summary>
    public RolloutSignals Signals()
    {
        var signals = new RolloutSignals(Experiment);
        foreach (var e in Events)
        {
            signals.Add(e);
        }

        return signals;
    }

    private DateTimeOffset Ts() => T0.AddSeconds(second++);
}
