using Rampart.Core.Events;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>Events of DESIGN §3 for store tests, every optional field set where the type has it.</summary>
public static class TestEvents
{
    /// <summary>Microsecond precision: the least a backend must keep.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, 123, 456, TimeSpan.Zero);

    public static ExperimentEvent Exposure(string unit, string? id = null, string experiment = "prompt-opt-v2", int second = 0) => new()
    {
        Type = EventType.Exposure, Experiment = experiment, Variant = "control", Unit = unit, Ts = T0.AddSeconds(second), Id = id, Stage = 0,
    };

    public static ExperimentEvent Completion(string unit, string? id = null) => new()
    {
        Type = EventType.Completion, Experiment = "prompt-opt-v2", Variant = "variant_a", Unit = unit,
        Ts = new DateTimeOffset(2026, 11, 1, 12, 0, 0, 999, 999, TimeSpan.FromHours(2)), Id = id, Stage = 2, RequestId = "r-1",
        LatencyMs = 1234.5, TtftMs = 0.1 + 0.2, PromptTokens = 120, CompletionTokens = long.MaxValue, CostUsd = 0.0084,
        Error = "upstream 503: \"overloaded\"", Model = "gpt-4", Input = "Où est ma commande ? 📦\nLine two", Output = "",
        Extra = """{"region":"eu-west","tags":["a","b"],"nested":{"x":1.5e-300,"ok":true,"none":null}}""",
    };

    public static ExperimentEvent Feedback(string unit, string? id = null) => new()
    {
        Type = EventType.Feedback, Experiment = "prompt-opt-v2", Variant = "variant_b", Unit = unit, Ts = T0.AddDays(1), Id = id,
        RequestId = "r-1", Score = "user_satisfaction", Value = -0.25, Comment = "Very helpful!",
    };

    /// <summary><paramref name="count"/> exposures with ids <c>{prefix}-0</c>…, one unit each.</summary>
    public static List<ExperimentEvent> Exposures(int count, string prefix = "e", string experiment = "prompt-opt-v2") =>
        [.. Enumerable.Range(0, count).Select(i => Exposure($"user-{i}", $"{prefix}-{i}", experiment, i))];
}
