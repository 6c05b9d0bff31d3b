using Microsoft.Extensions.Logging;
using Rampart.Llm.Pricing;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Pricing;

public sealed class CostEstimatorTests
{
    [Fact]
    public void CostUsd_UnpricedModelSeveralTimes_NullAndWarnsOncePerModel()
    {
        var logger = new ListLogger<CostEstimator>();
        var sut = new CostEstimator(PriceTable.BuiltIn, logger);

        Assert.Null(sut.CostUsd("llama3:8b", 10, 10));
        Assert.Null(sut.CostUsd("llama3:8b", 10, 10));
        Assert.Null(sut.CostUsd("mistral", 10, 10));
        Assert.Equal(0.0084, sut.CostUsd("gpt-4", 120, 80));

        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Contains("'llama3:8b' has no price", logger.Entries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CostUsd_NoUsage_NullWithoutWarning()
    {
        var logger = new ListLogger<CostEstimator>();

        Assert.Null(new CostEstimator(PriceTable.BuiltIn, logger).CostUsd("llama3:8b", null, null));
        Assert.Empty(logger.Entries);
    }
}
