namespace Rampart.Analysis.Shadow;

/// <summary>
/// One shadow variant's matched pairs, in the order their entries were first seen: what the paired tests take
/// (<see cref="ShadowAnalyzer"/>, the monitor's <see cref="Monitoring.ShadowGate"/>).
/// </summary>
public sealed class ShadowPairs
{
    internal ShadowPairs(string variant) => Variant = variant;

    /// <summary>The shadow variant.</summary>
    public string Variant { get; }

    /// <summary>Pairs: a served completion and this variant's shadow completion of the same request.</summary>
    public long Pairs { get; internal set; }

    /// <summary>a: pairs where both succeeded.</summary>
    public long BothOk { get; internal set; }

    /// <summary>b: pairs where the control succeeded and the shadow failed.</summary>
    public long ShadowOnlyFailed { get; internal set; }

    /// <summary>c: pairs where the control failed and the shadow succeeded.</summary>
    public long ControlOnlyFailed { get; internal set; }

    /// <summary>d: pairs where both failed.</summary>
    public long BothFailed { get; internal set; }

    /// <summary>Latencies of the control in pairs where both succeeded with a positive latency.</summary>
    public List<double> ControlLatency { get; } = [];

    /// <summary>Latencies of the shadow, index for index with <see cref="ControlLatency"/>.</summary>
    public List<double> ShadowLatency { get; } = [];

    /// <summary>Costs of the control in pairs where both sides have a cost.</summary>
    public List<double> ControlCost { get; } = [];

    /// <summary>Costs of the shadow, index for index with <see cref="ControlCost"/>.</summary>
    public List<double> ShadowCost { get; } = [];

    /// <summary>Per judge score (<c>judge_&lt;name&gt;</c>), the pairs where both answers have a verdict.</summary>
    public SortedDictionary<string, PairedScores> Scores { get; } = new(StringComparer.Ordinal);

    /// <summary>Per judge score, the pairwise preferences recorded as <c>judge_&lt;name&gt;_preference</c>.</summary>
    public SortedDictionary<string, PairedPreference> Preferences { get; } = new(StringComparer.Ordinal);

    /// <summary>The control's failure rate over the pairs, (c + d)/n, or null without pairs.</summary>
    public double? ControlErrorRate => Pairs == 0 ? null : (double)(ControlOnlyFailed + BothFailed) / Pairs;

    /// <summary>The shadow's failure rate over the pairs, (b + d)/n, or null without pairs.</summary>
    public double? ShadowErrorRate => Pairs == 0 ? null : (double)(ShadowOnlyFailed + BothFailed) / Pairs;

    /// <summary>
    /// (b + d)/(c + d): the shadow's failure rate over the control's on the same requests; 1 when neither failed, null when only
    /// the shadow failed (the ratio is unbounded) or without pairs.
    /// </summary>
    public double? ErrorRateRatio
    {
        get
        {
            var shadow = ShadowOnlyFailed + BothFailed;
            var control = ControlOnlyFailed + BothFailed;
            return Pairs == 0 || (control == 0 && shadow > 0) ? null : control == 0 ? 1 : (double)shadow / control;
        }
    }

    /// <summary>Counts one pair: its failures, and its latencies and costs where both sides have them.</summary>
    internal void Add(PairedCall control, PairedCall shadow)
    {
        Pairs++;
        switch (control.Failed, shadow.Failed)
        {
            case (false, false):
                BothOk++;
                if (control.LatencyMs > 0 && shadow.LatencyMs > 0)
                {
                    ControlLatency.Add(control.LatencyMs);
                    ShadowLatency.Add(shadow.LatencyMs);
                }

                break;
            case (false, true):
                ShadowOnlyFailed++;
                break;
            case (true, false):
                ControlOnlyFailed++;
                break;
            default:
                BothFailed++;
                break;
        }

        if (control.CostUsd is { } controlCost && shadow.CostUsd is { } shadowCost)
        {
            ControlCost.Add(controlCost);
            ShadowCost.Add(shadowCost);
        }
    }
}
