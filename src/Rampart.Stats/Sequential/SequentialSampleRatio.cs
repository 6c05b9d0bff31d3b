using MathNet.Numerics;

namespace Rampart.Stats.Sequential;

/// <summary>
/// An always-valid sample-ratio test (Lindon &amp; Malek 2022, "Anytime-Valid Inference for Multinomial Count Data"): the
/// Bayes factor of a Dirichlet(k·θ₀) mixture against the expected split θ₀,
/// BF = Γ(k)/Γ(k + n) · Π Γ(kθᵢ + xᵢ)/Γ(kθᵢ) / Π θᵢ^xᵢ. Under the expected split BF is a nonnegative martingale, so
/// by Ville's inequality the probability that 1/BF ever falls to α, however often one looks, is at most α. Exact for
/// units assigned independently (no normal approximation).
/// </summary>
public static class SequentialSampleRatio
{
    /// <summary>k, the prior's concentration: Dirichlet(k·θ₀), as in the authors' <c>savvi</c> package.</summary>
    public const double DefaultConcentration = 100;

    /// <summary>ln BF for <paramref name="observed"/> counts against <paramref name="expectedWeights"/> (any positive scale).</summary>
    /// <param name="observed">Units per category, non-negative.</param>
    /// <param name="expectedWeights">Expected weights per category, positive.</param>
    /// <param name="concentration">k &gt; 0; <see cref="DefaultConcentration"/> by default.</param>
    public static double LogBayesFactor(ReadOnlySpan<long> observed, ReadOnlySpan<double> expectedWeights, double concentration = DefaultConcentration)
    {
        if (observed.Length != expectedWeights.Length || observed.Length < 2)
        {
            throw new ArgumentException($"Give one weight per category and at least two categories; got {observed.Length} counts and {expectedWeights.Length} weights.", nameof(expectedWeights));
        }

        Guard.Positive(concentration, nameof(concentration));
        double weightTotal = 0;
        foreach (var w in expectedWeights)
        {
            Guard.Positive(w, nameof(expectedWeights));
            weightTotal += w;
        }

        double n = 0, log = 0;
        for (var i = 0; i < observed.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(observed[i], nameof(observed));
            var theta = expectedWeights[i] / weightTotal;
            var prior = concentration * theta;
            n += observed[i];
            log += SpecialFunctions.GammaLn(prior + observed[i]) - SpecialFunctions.GammaLn(prior) - (observed[i] * Math.Log(theta));
        }

        return log + SpecialFunctions.GammaLn(concentration) - SpecialFunctions.GammaLn(concentration + n);
    }

    /// <summary>The always-valid p-value min(1, 1/BF) of this look.</summary>
    /// <param name="observed">Units per category, non-negative.</param>
    /// <param name="expectedWeights">Expected weights per category, positive.</param>
    /// <param name="concentration">k &gt; 0; <see cref="DefaultConcentration"/> by default.</param>
    public static double PValue(ReadOnlySpan<long> observed, ReadOnlySpan<double> expectedWeights, double concentration = DefaultConcentration) =>
        Math.Min(1, Math.Exp(-LogBayesFactor(observed, expectedWeights, concentration)));
}
