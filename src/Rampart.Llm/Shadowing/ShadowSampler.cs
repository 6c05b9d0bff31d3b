using System.IO.Hashing;
using System.Text;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Shadowing;

/// <summary>
/// Which served requests a shadow variant is also called on (docs/shadow.md): those whose hash of (request id, variant)
/// falls below the shadow stage's sample rate, so every server, a replay and a simulation make the same choice, and two
/// shadow variants sample independently.
/// </summary>
public static class ShadowSampler
{
    /// <summary>True when <paramref name="variant"/> is called in shadow on the served request <paramref name="requestId"/>.</summary>
    public static bool Sampled(string requestId, string variant, ShadowStage shadow)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(shadow);
        return Fraction(requestId, variant) < shadow.SampleRate;
    }

    /// <summary>A uniform number in [0, 1) from the XxHash64 of <c>"shadow\n" + variant + "\n" + requestId</c> (its top 53 bits).</summary>
    public static double Fraction(string requestId, string variant) =>
        (XxHash64.HashToUInt64(Encoding.UTF8.GetBytes("shadow\n" + variant + "\n" + requestId)) >> 11) * (1.0 / (1UL << 53));
}
