using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Rampart.Llm.Pricing;

/// <summary>
/// USD per 1,000 tokens by model. A model is found by its exact name (case-insensitive), else by its name without a dated
/// snapshot suffix (<c>gpt-4o-2024-08-06</c> → <c>gpt-4o</c>, <c>claude-sonnet-4-20250514</c> → <c>claude-sonnet-4</c>) or
/// a <c>-latest</c> alias. The built-in prices (docs/pricing.md) are overridable by configuration.
/// </summary>
public sealed partial class PriceTable
{
    private readonly FrozenDictionary<string, ModelPrice> prices;

    /// <summary>A table of exactly <paramref name="prices"/>.</summary>
    public PriceTable(IEnumerable<KeyValuePair<string, ModelPrice>> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var table = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in prices)
        {
            table[model] = price;
        }

        this.prices = table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The built-in prices as of 2026-11-26 (check them against the vendors' pages: docs/pricing.md).</summary>
    public static PriceTable BuiltIn { get; } = new(BuiltInPrices.All);

    /// <summary>The models priced, as listed.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices => prices;

    /// <summary>This table with <paramref name="overrides"/> added or replacing its entries.</summary>
    public PriceTable With(IEnumerable<KeyValuePair<string, ModelPrice>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new PriceTable(prices.Concat(overrides));
    }

    /// <summary>The price of <paramref name="model"/>, or false when it is unpriced.</summary>
    public bool TryGetPrice(string? model, [NotNullWhen(true)] out ModelPrice? price)
    {
        price = null;
        if (string.IsNullOrEmpty(model))
        {
            return false;
        }

        if (prices.TryGetValue(model, out price))
        {
            return true;
        }

        var undated = SnapshotSuffix().Replace(model, "");
        return undated != model && prices.TryGetValue(undated, out price);
    }

    /// <summary>The call's cost in USD, or false when the model is unpriced (the host logs that once per model).</summary>
    public bool TryGetCost(string? model, long promptTokens, long completionTokens, out double costUsd)
    {
        costUsd = 0;
        if (!TryGetPrice(model, out var price))
        {
            return false;
        }

        costUsd = price.Cost(promptTokens, completionTokens);
        return true;
    }

    /// <summary>The call's cost in USD, or null when the model is unpriced or the usage unknown.</summary>
    public double? Cost(string? model, long? promptTokens, long? completionTokens) =>
        (promptTokens ?? completionTokens) is not null && TryGetCost(model, promptTokens ?? 0, completionTokens ?? 0, out var cost) ? cost : null;

    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8}|latest)\z")]
    private static partial Regex SnapshotSuffix();
}
