using System.Globalization;
using Rampart.Core.Experiments;

namespace Rampart.Simulation.Tests;

/// <summary>Experiments on the simulated provider for the simulation tests.</summary>
public static class Scenarios
{
    /// <summary>A control and one variant, with their <c>params.sim</c> and the given stages, advance mode and guardrails.</summary>
    public static ExperimentDefinition TwoVariants(
        string control = "{}", string variant = "{}", string stages = """[ { "weights": { "control": 50, "variant": 50 } } ]""",
        string advance = "manual", string extra = "") =>
        ExperimentDefinitionJson.Parse($$"""
            { "key": "sim-test", "control": "control",
              "variants": {
                "control": { "provider": "sim", "model": "sim-small", "params": { "sim": {{control}} } },
                "variant": { "provider": "sim", "model": "sim-small", "params": { "sim": {{variant}} } } },
              "stages": {{stages}},
              "advance": "{{advance}}" {{extra}} }
            """);

    /// <summary>A <c>params.sim</c> object.</summary>
    public static string Sim(double errorRate = 0.01, double latency = 800, double satisfaction = 0.78) => string.Create(CultureInfo.InvariantCulture,
        $$"""{ "error_rate": {{errorRate}}, "latency_ms_median": {{latency}}, "satisfaction": {{satisfaction}} }""");

    /// <summary>The q-quantile (type 7) of <paramref name="values"/>.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * q;
        var lower = (int)Math.Floor(h);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((h - lower) * (sorted[upper] - sorted[lower]));
    }
}
