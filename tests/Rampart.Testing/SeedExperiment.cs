using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Testing;

/// <summary>The seed's experiment (DESIGN §2's example file), as JSON and as domain objects.</summary>
public static class SeedExperiment
{
    /// <summary>The example experiment file of DESIGN §2, verbatim.</summary>
    public const string Json = """
        { "key": "prompt-opt-v2", "name": "Prompt Optimization v2", "control": "control",
          "variants": {
            "control":   { "provider": "openai", "model": "gpt-4", "temperature": 0.7,
                           "system_prompt": "You are a helpful customer support agent. Be concise and professional." },
            "variant_a": { "provider": "openai", "model": "gpt-4", "temperature": 0.9,
                           "system_prompt": "You are a friendly customer support agent. Be warm and conversational while staying professional." },
            "variant_b": { "provider": "openai", "model": "gpt-4-turbo-preview", "temperature": 0.7,
                           "system_prompt": "You are a helpful customer support agent. Be concise and professional." } },
          "stages": [ { "weights": { "control": 80, "variant_a": 10, "variant_b": 10 }, "min_duration": "7d" },
                      { "weights": { "control": 60, "variant_a": 20, "variant_b": 20 }, "min_duration": "7d" },
                      { "weights": { "control": 40, "variant_a": 30, "variant_b": 30 }, "min_duration": "7d" } ],
          "advance": "manual",
          "primary_score": "user_satisfaction",
          "promotion": { "alpha": 0.05, "min_units": 1000, "max_error_rate_ratio": 1.1, "max_p95_latency_ratio": 1.2 },
          "guardrails": { "max_error_rate": 0.05, "max_p95_latency_ratio": 1.5, "min_requests": 100, "check_interval": "1m" },
          "logging": { "content": "full" } }
        """;

    /// <summary>A fixed instant for tests: 2026-11-01T10:00:00Z.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The parsed definition, optionally under another key (and so another salt).</summary>
    public static ExperimentDefinition Definition(string? key = null) =>
        ExperimentDefinitionJson.Parse(key is null ? Json : Json.Replace("\"prompt-opt-v2\"", $"\"{key}\"", StringComparison.Ordinal));

    /// <summary>A draft of the seed experiment.</summary>
    public static Experiment Draft(string? key = null) => Experiment.CreateDraft(Definition(key), Epoch);

    /// <summary>The seed experiment, started at stage 1.</summary>
    public static Experiment Running(string? key = null) => Rollout.Start(Draft(key), Epoch, "test").Experiment;
}
