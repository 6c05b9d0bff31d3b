namespace Rampart.Server.Tests;

/// <summary>Experiment files for the server's tests: three variants on the built-in simulated provider.</summary>
public static class TestExperiments
{
    /// <summary>An experiment served by <c>sim</c> (drawn latencies, no sleeping, no failures unless asked: a test expecting an answer must not meet a 1% draw), 80/10/10 then 60/20/20.</summary>
    /// <param name="key">The experiment's key.</param>
    /// <param name="errorRate">Every variant's simulated error rate.</param>
    /// <param name="logging">The experiment's <c>logging.content</c>.</param>
    /// <param name="judges">The experiment's <c>judges</c> array as JSON, or null for none.</param>
    public static string Sim(string key, double errorRate = 0, string logging = "full", string? judges = null) => $$"""
        { "key": "{{key}}", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "sim-small", "temperature": 0.7, "system_prompt": "Be concise.",
                           "params": { "sim": { "latency_ms_median": 800, "error_rate": {{errorRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } } },
            "variant_a": { "provider": "sim", "model": "sim-large", "temperature": 0.9, "system_prompt": "Be warm.",
                           "params": { "sim": { "latency_ms_median": 900, "error_rate": {{errorRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } } },
            "variant_b": { "provider": "sim", "model": "sim-large", "temperature": 0.7,
                           "params": { "sim": { "latency_ms_median": 700, "error_rate": {{errorRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } } } },
          "stages": [ { "weights": { "control": 80, "variant_a": 10, "variant_b": 10 } },
                      { "weights": { "control": 60, "variant_a": 20, "variant_b": 20 } } ],
          "logging": { "content": "{{logging}}" }{{(judges is null ? "" : ", \"judges\": " + judges)}} }
        """;
}
