using System.Collections.Frozen;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;

namespace Rampart.Server.Telemetry;

/// <summary>
/// Keeps <c>/metrics</c> label values to a known set, so no client can grow it by sending new names: a provider label is
/// a configured provider, a pass-through call's model a model of the price table (built-in or <c>pricing</c>), a method
/// one of HTTP's own; anything else is counted under <see cref="Other"/>.
/// </summary>
internal sealed class MetricLabels
{
    /// <summary>The label value of any name outside the known set.</summary>
    public const string Other = "other";

    /// <summary>The method label of a method outside HTTP's own (as the OpenTelemetry HTTP conventions spell it).</summary>
    public const string OtherMethod = "_OTHER";

    private static readonly FrozenSet<string> Methods =
        FrozenSet.Create(StringComparer.Ordinal, "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private readonly ProviderRegistry providers;
    private readonly FrozenDictionary<string, string> models;

    /// <summary>Labels from the configured <paramref name="providers"/> and the models priced by <paramref name="costs"/>.</summary>
    public MetricLabels(ProviderRegistry providers, CostEstimator costs)
    {
        this.providers = providers;

        // Case-insensitive lookup, one spelling out: "GPT-4o" and "gpt-4o" are one label.
        models = costs.Prices.Prices.Keys.ToFrozenDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A configured provider's name, else <see cref="Other"/>.</summary>
    public string Provider(string name) => providers.TryGet(name, out _) ? name : Other;

    /// <summary>
    /// The model of a call: an experiment's variant model as configured (the control plane made it), a pass-through
    /// call's (the client chose it) only when priced, else <see cref="Other"/>.
    /// </summary>
    public string? Model(string? model, bool fromExperiment)
    {
        if (model is null || fromExperiment)
        {
            return model;
        }

        return models.TryGetValue(model, out var known) ? known : Other;
    }

    /// <summary>An HTTP method, or <see cref="OtherMethod"/> for one a client made up.</summary>
    public static string Method(string method) => Methods.Contains(method) ? method : OtherMethod;
}
