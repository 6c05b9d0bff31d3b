using Rampart.Core.Events;
using Rampart.Server.Results;

namespace Rampart.Server.Tests.Results;

public sealed class AggregationCheckTests
{
    private static readonly ExperimentEvent Completion = new()
    {
        Type = EventType.Completion, Experiment = "e", Variant = "control", Unit = "u", Ts = DateTimeOffset.UnixEpoch,
        LatencyMs = 86_400_000, CostUsd = 0, PromptTokens = 1_000_000_000, CompletionTokens = 0, Stage = 1000,
    };

    [Fact]
    public void Problem_EveryNumberAtItsLimit_Null() => Assert.Null(AggregationCheck.Problem(Completion));

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
            "latency_ms" => Completion with { LatencyMs = value },
            "ttft_ms" => Completion with { TtftMs = value },
            "cost_usd" => Completion with { CostUsd = value },
            _ => Completion with { Type = EventType.Feedback, Score = "s", Value = value },
        };

        var problem = AggregationCheck.Problem(e);

        Assert.NotNull(problem);
        Assert.StartsWith($"'{field}' is ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_TokensPastTheLimit_NamesTheField() =>
        Assert.StartsWith("'prompt_tokens' is 9223372036854775807", AggregationCheck.Problem(Completion with { PromptTokens = long.MaxValue }), StringComparison.Ordinal);

    [Fact]
    public void Problem_NegativeStage_NamesTheField() =>
        Assert.StartsWith("'stage' is -1", AggregationCheck.Problem(Completion with { Stage = -1 }), StringComparison.Ordinal);
}
