using System.Text.Json;

namespace Rampart.Llm.Providers.Simulated;

/// <summary>How the simulated provider behaves for a variant: its <c>params.sim</c> (docs/providers.md, docs/api.md), every field optional.</summary>
public sealed record SimulationOptions
{
    /// <summary>The key under a variant's <c>params</c> that holds these options.</summary>
    public const string ParamsKey = "sim";

    /// <summary>The defaults (docs/providers.md).</summary>
    public static SimulationOptions Default { get; } = new();

    /// <summary>The median latency in milliseconds; latency is lognormal around it.</summary>
    /// <value>Default: 800.</value>
    public double LatencyMsMedian { get; init; } = 800;

    /// <summary>The standard deviation of the latency's logarithm.</summary>
    /// <value>Default: 0.4.</value>
    public double LatencySigma { get; init; } = 0.4;

    /// <summary>
    /// The standard deviation of the logarithm of a per-request latency factor, drawn from the request (a served call and its
    /// shadow calls share it, as a long prompt is slow for every model) and multiplying the latency and time to first token;
    /// <see cref="LatencySigma"/> is the per-call part, drawn independently for each call.
    /// </summary>
    /// <value>Default: 0 (no shared part: every call's latency is independent).</value>
    public double RequestSigma { get; init; }

    /// <summary>The share of the latency spent before the first token.</summary>
    /// <value>Default: 0.3.</value>
    public double TtftFraction { get; init; } = 0.3;

    /// <summary>The probability that a call fails with 500.</summary>
    /// <value>Default: 0.01.</value>
    public double ErrorRate { get; init; } = 0.01;

    /// <summary>The probability that an answer is marked satisfying (<c>rampart_sim.satisfied</c>).</summary>
    /// <value>Default: 0.78.</value>
    public double Satisfaction { get; init; } = 0.78;

    /// <summary>The quality of every answer in [0, 1] (<c>rampart_sim.quality</c>), what the <c>sim</c> judge rates (docs/judges.md).</summary>
    /// <value>Default: 0.8.</value>
    public double Quality { get; init; } = 0.8;

    /// <summary>The input tokens every answer reports.</summary>
    /// <value>Default: 120.</value>
    public long PromptTokens { get; init; } = 120;

    /// <summary>The output tokens every answer reports.</summary>
    /// <value>Default: 80.</value>
    public long CompletionTokens { get; init; } = 80;

    /// <summary>True sleeps the drawn latency (demos, load tests); false only reports it (fast simulations).</summary>
    /// <value>Default: false.</value>
    public bool RealTime { get; init; }

    /// <summary>
    /// Reads <c>params.sim</c> from a variant's params. A missing field keeps its default; a field of the wrong kind or out
    /// of range keeps its default too and is described in <paramref name="problems"/> (when given), so the hot path never throws.
    /// </summary>
    public static SimulationOptions FromParams(JsonElement? variantParams, ICollection<string>? problems = null)
    {
        if (variantParams is not { ValueKind: JsonValueKind.Object } parameters || !parameters.TryGetProperty(ParamsKey, out var sim)
            || sim.ValueKind == JsonValueKind.Null)
        {
            return Default;
        }

        if (sim.ValueKind != JsonValueKind.Object)
        {
            problems?.Add("params.sim must be an object.");
            return Default;
        }

        var d = Default;
        return new SimulationOptions
        {
            LatencyMsMedian = Number(sim, "latency_ms_median", d.LatencyMsMedian, min: double.Epsilon, max: double.MaxValue, problems),
            LatencySigma = Number(sim, "latency_sigma", d.LatencySigma, min: 0, max: 10, problems),
            RequestSigma = Number(sim, "request_sigma", d.RequestSigma, min: 0, max: 10, problems),
            TtftFraction = Number(sim, "ttft_fraction", d.TtftFraction, min: 0, max: 1, problems),
            ErrorRate = Number(sim, "error_rate", d.ErrorRate, min: 0, max: 1, problems),
            Satisfaction = Number(sim, "satisfaction", d.Satisfaction, min: 0, max: 1, problems),
            Quality = Number(sim, "quality", d.Quality, min: 0, max: 1, problems),
            PromptTokens = (long)Number(sim, "prompt_tokens", d.PromptTokens, min: 0, max: int.MaxValue, problems, integer: true),
            CompletionTokens = (long)Number(sim, "completion_tokens", d.CompletionTokens, min: 0, max: int.MaxValue, problems, integer: true),
            RealTime = Boolean(sim, "real_time", d.RealTime, problems),
        };
    }

    private static double Number(JsonElement sim, string name, double fallback, double min, double max, ICollection<string>? problems, bool integer = false)
    {
        if (!sim.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max
            && (!integer || number == Math.Floor(number)))
        {
            return number;
        }

        var range = max == double.MaxValue ? "above 0" : $"between {min} and {max}";
        problems?.Add($"params.sim.{name} must be {(integer ? "a whole number" : "a number")} {range}; got {value.GetRawText()}.");
        return fallback;
    }

    private static bool Boolean(JsonElement sim, string name, bool fallback, ICollection<string>? problems)
    {
        if (!sim.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problems?.Add($"params.sim.{name} must be true or false; got {value.GetRawText()}.");
        return fallback;
    }
}
