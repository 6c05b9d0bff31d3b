using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Segments;

/// <summary>Builds an experiment's events unit by unit: an exposure carrying the unit's attributes, a completion and a binary score.</summary>
internal sealed class SegmentEvents
{
    private readonly List<ExperimentEvent> events = [];
    private int units;
    private int second;

    public const string Experiment = "seg-exp";

    public IReadOnlyList<ExperimentEvent> Events => events;

    /// <summary><paramref name="n"/> units of <paramref name="variant"/> with <paramref name="attributes"/> (null: none), <paramref name="successes"/> of them scoring 1.</summary>
    public SegmentEvents Units(string variant, string? attributes, int successes, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var unit = $"u{units++}";
            var request = "r-" + unit;
            events.Add(Event(EventType.Exposure, variant, unit) with { Attributes = attributes });
            events.Add(Event(EventType.Completion, variant, unit) with { RequestId = request, LatencyMs = 100, CostUsd = 0.001 });
            events.Add(Event(EventType.Feedback, variant, unit) with { RequestId = request, Score = "user_satisfaction", Value = i < successes ? 1 : 0 });
        }

        return this;
    }

    /// <summary>Units in segment <paramref name="value"/> of attribute <paramref name="attribute"/>.</summary>
    public SegmentEvents Segment(string attribute, string value, string variant, int successes, int n) =>
        Units(variant, $"{{\"{attribute}\":\"{value}\"}}", successes, n);

    private ExperimentEvent Event(EventType type, string variant, string unit) => new()
    {
        Type = type,
        Experiment = Experiment,
        Variant = variant,
        Unit = unit,
        Ts = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero).AddSeconds(second++),
    };
}
