using Rampart.Llm.Pricing;

namespace Rampart.Llm.Tests.Pricing;

public sealed class PriceTableTests
{
    [Theory]
    [InlineData("gpt-4", 120, 80, 0.0084)]
    [InlineData("gpt-4-turbo-preview", 120, 80, 0.0036)]
    [InlineData("gpt-4o-mini", 1_000_000, 1_000_000, 0.75)]
    [InlineData("claude-sonnet-4", 1000, 1000, 0.018)]
    [InlineData("claude-opus-5-5", 1_000_000, 1_000_000, 24)]       // platform.claude.com: $4 / $20 per MTok
    [InlineData("claude-sonnet-5", 1_000_000, 1_000_000, 12)]       // $2 / $10 per MTok
    public void TryGetCost_KnownModel_ExactCost(string model, long prompt, long completion, double expected)
    {
        Assert.True(PriceTable.BuiltIn.TryGetCost(model, prompt, completion, out var sut));

        Assert.Equal(expected, sut);
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku")]
    [InlineData("GPT-4", "gpt-4")]
    public void TryGetPrice_SnapshotOrCase_PricedAsTheModel(string model, string listed)
    {
        Assert.True(PriceTable.BuiltIn.TryGetPrice(model, out var sut));

        Assert.Equal(PriceTable.BuiltIn.Prices[listed], sut);
    }

    [Theory]
    [InlineData("gpt-4.1-nano-experimental")]
    [InlineData("llama3:8b")]
    [InlineData("")]
    [InlineData(null)]
    public void TryGetCost_UnknownModel_Unpriced(string? model)
    {
        Assert.False(PriceTable.BuiltIn.TryGetCost(model, 120, 80, out _));
        Assert.Null(PriceTable.BuiltIn.Cost(model, 120, 80));
    }

    [Fact]
    public void With_Override_ReplacesAndAddsWithoutChangingTheBuiltIn()
    {
        var sut = PriceTable.BuiltIn.With(
        [
            KeyValuePair.Create("gpt-4", new ModelPrice(0.01m, 0.02m)),
            KeyValuePair.Create("llama3:8b", new ModelPrice(0m, 0m)),
        ]);

        Assert.Equal(0.0028, sut.Cost("gpt-4", 120, 80));
        Assert.Equal(0.0, sut.Cost("llama3:8b", 120, 80));
        Assert.Equal(0.0084, PriceTable.BuiltIn.Cost("gpt-4", 120, 80));
    }

    [Fact]
    public void Cost_UnknownUsage_Null()
    {
        Assert.Null(PriceTable.BuiltIn.Cost("gpt-4", null, null));
        Assert.Equal(0.0036, PriceTable.BuiltIn.Cost("gpt-4", 120, null));
    }
}
