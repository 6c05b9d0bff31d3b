using System.Collections.Immutable;

namespace Rampart.Core.Experiments;

/// <summary>
/// What a shadow stage shadows (docs/shadow.md): every unit is served the control, and a sampled share of the served
/// requests is also sent, after the answer is on its way, to each of <paramref name="Variants"/>, whose answers nobody sees.
/// </summary>
/// <param name="Variants">The variants called in shadow, in listed order; never the control.</param>
/// <param name="SampleRate">The share of served requests each shadow variant is also called on, in (0, 1].</param>
/// <param name="MaxCostUsdPerDay">Each shadow variant's spend per UTC day after which it stops being called until the next day, or null for no cap.</param>
public sealed record ShadowStage(ImmutableArray<string> Variants, double SampleRate = ShadowStage.DefaultSampleRate, double? MaxCostUsdPerDay = null)
{
    /// <summary>The default <see cref="SampleRate"/>.</summary>
    public const double DefaultSampleRate = 0.1;

    /// <summary>True when <paramref name="variant"/> is called in shadow.</summary>
    public bool Shadows(string variant) => Variants.Contains(variant, StringComparer.Ordinal);
}
