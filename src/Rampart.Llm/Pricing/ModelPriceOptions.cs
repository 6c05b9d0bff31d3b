using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;

namespace Rampart.Llm.Pricing;

/// <summary>One entry of the configuration's <c>pricing</c> section: <c>{ "input_per_1k": 0.03, "output_per_1k": 0.06 }</c>.</summary>
public sealed class ModelPriceOptions
{
    /// <summary>USD per 1,000 input tokens.</summary>
    [JsonPropertyName("input_per_1k")]
    [ConfigurationKeyName("input_per_1k")]
    public decimal? InputPer1K { get; set; }

    /// <summary>USD per 1,000 output tokens.</summary>
    [JsonPropertyName("output_per_1k")]
    [ConfigurationKeyName("output_per_1k")]
    public decimal? OutputPer1K { get; set; }

    /// <summary>Every problem with this entry, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string model)
    {
        var problems = new List<string>();
        if (InputPer1K is not >= 0)
        {
            problems.Add($"pricing.{model}.input_per_1k must be a number of USD per 1,000 input tokens, 0 or more.");
        }

        if (OutputPer1K is not >= 0)
        {
            problems.Add($"pricing.{model}.output_per_1k must be a number of USD per 1,000 output tokens, 0 or more.");
        }

        return problems;
    }

    /// <summary>The price, once <see cref="Validate"/> has found no problem.</summary>
    public ModelPrice ToPrice() => new(InputPer1K ?? 0, OutputPer1K ?? 0);
}
