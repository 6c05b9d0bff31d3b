using System.Text.Json;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Tests.Providers.Simulated;

public sealed class SimulationOptionsTests
{
    [Fact]
    public void FromParams_NoSim_Defaults()
    {
        Assert.Same(SimulationOptions.Default, SimulationOptions.FromParams(null));
        Assert.Same(SimulationOptions.Default, SimulationOptions.FromParams(Json("""{"top_k":5}""")));
        Assert.Equal(new SimulationOptions
        {
            LatencyMsMedian = 800, LatencySigma = 0.4, RequestSigma = 0, TtftFraction = 0.3, ErrorRate = 0.01, Satisfaction = 0.78, Quality = 0.8,
            PromptTokens = 120, CompletionTokens = 80, RealTime = false,
        }, SimulationOptions.Default);
    }

    [Fact]
    public void FromParams_EveryField_Read()
    {
        var sut = SimulationOptions.FromParams(Json("""
            {"sim":{"latency_ms_median":1200,"latency_sigma":0.2,"request_sigma":0.8,"ttft_fraction":0.5,"error_rate":0.08,"satisfaction":0.81,"quality":0.6,
                    "prompt_tokens":10,"completion_tokens":20,"real_time":true}}
            """));

        Assert.Equal(new SimulationOptions
        {
            LatencyMsMedian = 1200, LatencySigma = 0.2, RequestSigma = 0.8, TtftFraction = 0.5, ErrorRate = 0.08, Satisfaction = 0.81, Quality = 0.6,
            PromptTokens = 10, CompletionTokens = 20, RealTime = true,
        }, sut);
    }

    [Fact]
    public void FromParams_BadFields_KeepTheirDefaultsAndAreEachDescribed()
    {
        var problems = new List<string>();

        var sut = SimulationOptions.FromParams(Json("""{"sim":{"error_rate":1.5,"latency_ms_median":0,"prompt_tokens":2.5,"real_time":"yes","satisfaction":0.5,"quality":1.2,"request_sigma":-1}}"""), problems);

        Assert.Equal(SimulationOptions.Default with { Satisfaction = 0.5 }, sut);
        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("params.sim.request_sigma must be a number between 0 and 10", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("params.sim.quality must be a number between 0 and 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("params.sim.error_rate must be a number between 0 and 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("params.sim.latency_ms_median must be a number above 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("params.sim.prompt_tokens must be a whole number", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("params.sim.real_time must be true or false", StringComparison.Ordinal));
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
