using System.Globalization;
using Microsoft.Extensions.Options;
using Rampart.Llm;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;

namespace Rampart.Server.Gateway;

/// <summary>
/// Reads Rampart.Llm's <see cref="RampartOptions"/> from the <c>providers</c> and <c>pricing</c> sections (docs/providers.md);
/// <c>AddRampart</c>'s validation names every bad entry at start.
/// </summary>
internal sealed class RampartOptionsSetup(IConfiguration configuration) : IConfigureOptions<RampartOptions>
{
    /// <summary>The section naming the providers.</summary>
    public const string ProvidersSection = "providers";

    /// <summary>The section of prices that override or extend the built-in table.</summary>
    public const string PricingSection = "pricing";

    /// <inheritdoc />
    public void Configure(RampartOptions options)
    {
        foreach (var entry in configuration.GetSection(ProvidersSection).GetChildren())
        {
            options.Providers[entry.Key] = new ProviderOptions
            {
                Type = entry["type"],
                BaseUrl = entry["base_url"],
                ApiKeyEnv = entry["api_key_env"],
                Timeout = entry["timeout"],
            };
        }

        // A price that is not a number is left unset, which the validation names.
        foreach (var entry in configuration.GetSection(PricingSection).GetChildren())
        {
            options.Pricing[entry.Key] = new ModelPriceOptions
            {
                InputPer1K = Decimal(entry["input_per_1k"]),
                OutputPer1K = Decimal(entry["output_per_1k"]),
            };
        }
    }

    private static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
