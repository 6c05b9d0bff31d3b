using Rampart.Core.Events;

namespace Rampart.Core.Tests.Events;

public sealed class EventNumberRulesTests
{
    [Theory]
    [InlineData(EventNumber.Latency, 0.0)]
    [InlineData(EventNumber.Latency, 86_400_000.0)]
    [InlineData(EventNumber.Cost, 1_000_000.0)]
    [InlineData(EventNumber.Tokens, 1_000_000_000.0)]
    [InlineData(EventNumber.Score, -1e9)]
    [InlineData(EventNumber.Score, 1e9)]
    [InlineData(EventNumber.Stage, 1000.0)]
    public void IsValid_Bounds_Accepted(EventNumber kind, double value)
    {
        Assert.True(EventNumberRules.IsValid(kind, value));
    }

    [Theory]
    [InlineData(EventNumber.Latency, 1e200)]
    [InlineData(EventNumber.Latency, -1.0)]
    [InlineData(EventNumber.Latency, 86_400_000.5)]
    [InlineData(EventNumber.Latency, double.NaN)]
    [InlineData(EventNumber.Latency, double.PositiveInfinity)]
    [InlineData(EventNumber.Cost, 1_000_000.01)]
    [InlineData(EventNumber.Cost, double.NaN)]
    [InlineData(EventNumber.Tokens, 1_000_000_001.0)]
    [InlineData(EventNumber.Tokens, 1.5)]
    [InlineData(EventNumber.Score, 1e200)]
    [InlineData(EventNumber.Score, -1.000000001e9)]
    [InlineData(EventNumber.Score, double.NegativeInfinity)]
    [InlineData(EventNumber.Stage, 1001.0)]
    [InlineData(EventNumber.Stage, -1.0)]
    public void IsValid_OutOfRangeOrNotFinite_Refused(EventNumber kind, double value)
    {
        Assert.False(EventNumberRules.IsValid(kind, value));
    }

    [Theory]
    [InlineData(EventNumber.Tokens, long.MaxValue)]
    [InlineData(EventNumber.Tokens, -1L)]
    [InlineData(EventNumber.Stage, int.MaxValue)]
    public void IsValid_WholeOutOfRange_Refused(EventNumber kind, long value)
    {
        Assert.False(EventNumberRules.IsValid(kind, value));
    }

    [Fact]
    public void ThrowIfInvalid_Event_NamesFieldAndRange()
    {
        var e = new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = "e", Variant = "v", Unit = "u", Ts = DateTimeOffset.UnixEpoch,
            LatencyMs = 5, PromptTokens = long.MaxValue,
        };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => EventNumberRules.ThrowIfInvalid(e));

        Assert.Equal("prompt_tokens", ex.ParamName);
        Assert.StartsWith("'prompt_tokens' must be a whole number in [0, 1000000000], not 9223372036854775807.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutInvalidUsage_TokensOutOfRange_NullsThemAndTheirCostAndReportsEach()
    {
        var completion = new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = "e", Variant = "v", Unit = "u", Ts = DateTimeOffset.UnixEpoch,
            LatencyMs = 5, TtftMs = 2, PromptTokens = long.MaxValue, CompletionTokens = 80, CostUsd = 0.5,
        };
        var refused = new List<(string, double)>();

        var sut = EventNumberRules.WithoutInvalidUsage(completion, (field, value) => refused.Add((field, value)));

        Assert.Equal(completion with { PromptTokens = null, CostUsd = null }, sut);
        Assert.Equal([("prompt_tokens", long.MaxValue), ("cost_usd", 0.5)], refused);
    }

    [Fact]
    public void WithoutInvalidUsage_CostAboveItsLimit_NullsOnlyTheCost()
    {
        var completion = new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = "e", Variant = "v", Unit = "u", Ts = DateTimeOffset.UnixEpoch,
            LatencyMs = 5, PromptTokens = 1_000_000_000, CostUsd = 10_000_000,
        };

        var sut = EventNumberRules.WithoutInvalidUsage(completion);

        Assert.Equal(completion with { CostUsd = null }, sut);
    }

    [Fact]
    public void WithoutInvalidUsage_AllWithinRange_SameEvent()
    {
        var completion = new ExperimentEvent
        {
            Type = EventType.Completion, Experiment = "e", Variant = "v", Unit = "u", Ts = DateTimeOffset.UnixEpoch,
            LatencyMs = 5, TtftMs = 86_400_000, PromptTokens = 1_000_000_000, CompletionTokens = 0, CostUsd = 1_000_000,
        };

        Assert.Same(completion, EventNumberRules.WithoutInvalidUsage(completion, (_, _) => Assert.Fail("nothing is out of range")));
    }

    [Fact]
    public void ThrowIfInvalid_EventWithinRange_DoesNotThrow()
    {
        var e = new ExperimentEvent
        {
            Type = EventType.Feedback, Experiment = "e", Variant = "v", Unit = "u", Ts = DateTimeOffset.UnixEpoch,
            Score = "s", Value = -1e9, Stage = 1000,
        };

        EventNumberRules.ThrowIfInvalid(e);
    }

    private static readonly ExperimentEvent AtTheLimits = new()
    {
        Type = EventType.Completion, Experiment = "e", Variant = "control", Unit = "u", Ts = DateTimeOffset.UnixEpoch,
        LatencyMs = 86_400_000, CostUsd = 0, PromptTokens = 1_000_000_000, CompletionTokens = 0, Stage = 1000,
    };

    [Fact]
    public void Problem_EveryNumberAtItsLimit_Null() => Assert.Null(EventNumberRules.Problem(AtTheLimits));

    [Theory]
    [InlineData("latency_ms", 1e200)]
    [InlineData("latency_ms", double.NaN)]
    [InlineData("latency_ms", -1)]
    [InlineData("ttft_ms", double.PositiveInfinity)]
    [InlineData("cost_usd", 1e7)]
    [InlineData("value", -1e10)]
    public void Problem_NumberOutOfRange_NamesTheField(string field, double value)
    {
        var e = field switch
        {
            "latency_ms" => AtTheLimits with { LatencyMs = value },
            "ttft_ms" => AtTheLimits with { TtftMs = value },
            "cost_usd" => AtTheLimits with { CostUsd = value },
            _ => AtTheLimits with { Type = EventType.Feedback, Score = "s", Value = value },
        };

        Assert.StartsWith($"'{field}' must be ", EventNumberRules.Problem(e), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_TokensPastTheLimit_NamesFieldAndValue() =>
        Assert.Equal("'prompt_tokens' must be a whole number in [0, 1000000000], not 9223372036854775807.",
            EventNumberRules.Problem(AtTheLimits with { PromptTokens = long.MaxValue }));

    [Fact]
    public void Problem_NegativeStage_NamesTheField() =>
        Assert.StartsWith("'stage' must be ", EventNumberRules.Problem(AtTheLimits with { Stage = -1 }), StringComparison.Ordinal);
}
