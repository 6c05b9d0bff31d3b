using System.Collections.Immutable;

namespace Rampart.Analysis.Monitoring;

/// <summary>Collects an action's figures, dropping values that are not finite (the audit log never holds NaN).</summary>
internal sealed class MetricsBuilder
{
    private readonly ImmutableSortedDictionary<string, double>.Builder values =
        ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);

    public MetricsBuilder Add(string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            values[name] = v;
        }

        return this;
    }

    public ImmutableSortedDictionary<string, double> Build() => values.ToImmutable();
}
