using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rampart.Llm.Pricing;

/// <summary>Prices calls for their completion events, warning once per model that has no price (its events carry a null cost).</summary>
public sealed partial class CostEstimator
{
    private const int MaxRemembered = 1000;

    private readonly ConcurrentDictionary<string, bool> unpriced = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger logger;

    /// <summary>Prices calls from <paramref name="prices"/>.</summary>
    public CostEstimator(PriceTable prices, ILogger<CostEstimator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Prices = prices;
        this.logger = logger ?? NullLogger<CostEstimator>.Instance;
    }

    /// <summary>The prices used.</summary>
    public PriceTable Prices { get; }

    /// <summary>The cost in USD, or null when the usage is unknown or the model unpriced.</summary>
    public double? CostUsd(string? model, long? promptTokens, long? completionTokens)
    {
        if (model is null || (promptTokens ?? completionTokens) is null)
        {
            return null;
        }

        if (Prices.TryGetCost(model, promptTokens ?? 0, completionTokens ?? 0, out var cost))
        {
            return cost;
        }

        // Remembered up to a bound: the upstream names the model, and a set that grows with every new name is a leak.
        if (unpriced.Count < MaxRemembered && unpriced.TryAdd(model, true))
        {
            LogUnpriced(logger, model);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model '{Model}' has no price, so its completions carry no cost; add it under pricing in the configuration.")]
    private static partial void LogUnpriced(ILogger logger, string model);
}
