using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;

namespace Rampart.Llm;

/// <summary>
/// The LLM side of Rampart's configuration (docs/providers.md, docs/api.md): the <c>providers</c> and <c>pricing</c> sections of
/// <c>rampart.json</c>, bindable from configuration, and how often the middleware re-reads experiments.
/// </summary>
public sealed class RampartOptions
{
    /// <summary>The providers by name; <c>sim</c> (simulated) is added when missing.</summary>
    public IDictionary<string, ProviderOptions> Providers { get; } = new Dictionary<string, ProviderOptions>(StringComparer.Ordinal);

    /// <summary>Prices by model, replacing or adding to the built-in table.</summary>
    public IDictionary<string, ModelPriceOptions> Pricing { get; } = new Dictionary<string, ModelPriceOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the middleware serves an experiment's snapshot before reading it again.</summary>
    /// <value>Default: 2 seconds.</value>
    public TimeSpan SnapshotRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem, each naming its key; empty when the options are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(ProviderRegistry.Validate(Providers));
        foreach (var (model, price) in Pricing)
        {
            if (price is null)
            {
                problems.Add($"pricing.{model} is empty; give input_per_1k and output_per_1k.");
                continue;
            }

            problems.AddRange(price.Validate(model));
        }

        if (SnapshotRefreshInterval < TimeSpan.Zero)
        {
            problems.Add("SnapshotRefreshInterval must not be negative.");
        }

        return problems;
    }

    /// <summary>The built-in prices with <see cref="Pricing"/> applied.</summary>
    public PriceTable ToPriceTable() =>
        PriceTable.BuiltIn.With(Pricing.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value.ToPrice())));
}
