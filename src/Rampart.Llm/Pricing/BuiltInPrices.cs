namespace Rampart.Llm.Pricing;

/// <summary>The built-in list prices, USD per 1,000 tokens, as of 2026-11-27; docs/pricing.md lists them with the caveats.</summary>
internal static class BuiltInPrices
{
    public static IEnumerable<KeyValuePair<string, ModelPrice>> All { get; } =
    [
        // OpenAI
        Price("gpt-4", 0.03m, 0.06m),
        Price("gpt-4-turbo", 0.01m, 0.03m),
        Price("gpt-4-turbo-preview", 0.01m, 0.03m),
        Price("gpt-3.5-turbo", 0.0005m, 0.0015m),
        Price("gpt-4o", 0.0025m, 0.01m),
        Price("gpt-4o-mini", 0.00015m, 0.0006m),
        Price("gpt-4.1", 0.002m, 0.008m),
        Price("gpt-4.1-mini", 0.0004m, 0.0016m),
        Price("gpt-4.1-nano", 0.0001m, 0.0004m),
        Price("gpt-5", 0.00125m, 0.01m),
        Price("gpt-5-mini", 0.00025m, 0.002m),
        Price("gpt-5-nano", 0.00005m, 0.0004m),
        Price("o1", 0.015m, 0.06m),
        Price("o3-mini", 0.0011m, 0.0044m),
        Price("o4-mini", 0.0011m, 0.0044m),

        // Anthropic
        Price("claude-3-haiku", 0.00025m, 0.00125m),
        Price("claude-3-opus", 0.015m, 0.075m),
        Price("claude-3-5-haiku", 0.0008m, 0.004m),
        Price("claude-3-5-sonnet", 0.003m, 0.015m),
        Price("claude-3-7-sonnet", 0.003m, 0.015m),
        Price("claude-sonnet-4", 0.003m, 0.015m),
        Price("claude-sonnet-4-5", 0.003m, 0.015m),
        Price("claude-opus-4", 0.015m, 0.075m),
        Price("claude-opus-4-1", 0.015m, 0.075m),
        Price("claude-haiku-4-5", 0.001m, 0.005m),
        Price("claude-opus-4-5", 0.005m, 0.025m),
        Price("claude-opus-4-6", 0.005m, 0.025m),
        Price("claude-sonnet-4-6", 0.003m, 0.015m),
        Price("claude-sonnet-5", 0.002m, 0.01m),
        Price("claude-sonnet-5-5", 0.002m, 0.01m),
        Price("claude-opus-5", 0.005m, 0.025m),
        Price("claude-opus-5-5", 0.004m, 0.02m),
    ];

    private static KeyValuePair<string, ModelPrice> Price(string model, decimal inputPer1K, decimal outputPer1K) =>
        new(model, new ModelPrice(inputPer1K, outputPer1K));
}
