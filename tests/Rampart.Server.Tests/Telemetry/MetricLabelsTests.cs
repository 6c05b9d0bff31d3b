using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Tests.Telemetry;

public sealed class MetricLabelsTests
{
    private static readonly MetricLabels Sut = new(
        new ProviderRegistry([new("openai", new ProviderOptions { Type = ProviderOptions.OpenAiType })], _ => new HttpClient()),
        new CostEstimator(PriceTable.BuiltIn.With([new("my-model", new ModelPrice(0.001m, 0.002m))])));

    [Theory]
    [InlineData("openai", "openai")]
    [InlineData("sim", "sim")]
    [InlineData("made-up", "other")]
    public void Provider_Name_ConfiguredOrOther(string name, string expected) => Assert.Equal(expected, Sut.Provider(name));

    [Theory]
    [InlineData("my-model", false, "my-model")]
    [InlineData("MY-MODEL", false, "my-model")]
    [InlineData("gpt-4o", false, "gpt-4o")]
    [InlineData("gpt-4o-2024-08-06-x", false, "other")]
    [InlineData("made-up-1", false, "other")]
    [InlineData("made-up-1", true, "made-up-1")]
    public void Model_PassThroughOrExperiment_PricedOrOther(string model, bool fromExperiment, string expected) =>
        Assert.Equal(expected, Sut.Model(model, fromExperiment));

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("VERB42", "_OTHER")]
    [InlineData("get", "_OTHER")]
    public void Method_Verb_HttpsOwnOrOther(string method, string expected) => Assert.Equal(expected, MetricLabels.Method(method));
}
