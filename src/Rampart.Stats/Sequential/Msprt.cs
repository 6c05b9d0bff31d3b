using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;

namespace Rampart.Stats.Sequential;

/// <summary>
/// Mixture sequential probability ratio test with a normal mixture (Johari, Koomen, Pekelis, Walsh, "Always Valid Inference"):
/// p-values that stay valid however often one looks.
/// </summary>
/// <remarks>
/// τ is the standard deviation of the N(0, τ²) mixing distribution over the true difference, in the metric's units. The test
/// is most powerful for differences near τ: pick the smallest difference worth detecting (a 2-point satisfaction lift → τ = 0.02).
/// Too large a τ wastes power on small effects and gives up early evidence (the √(V/(V+τ²)) penalty); too small a τ delays
/// rejection for large effects. Validity (false positive rate ≤ α) holds for every τ &gt; 0.
/// </remarks>
public static class Msprt
{
    /// <summary>
    /// One look: Λ = √(V/(V+τ²))·exp(θ̂²τ²/(2V(V+τ²))), p = min(1, 1/Λ).
    /// The always-valid p-value is the running minimum of these over looks; <see cref="MsprtTracker"/> keeps it.
    /// </summary>
    /// <param name="difference">θ̂, the estimated difference (variant − control).</param>
    /// <param name="variance">V, the variance of θ̂ (e.g. s₁²/n₁ + s₂²/n₂).</param>
    /// <param name="tau">τ &gt; 0, the mixing standard deviation: the size of difference the test is tuned to.</param>
    public static MsprtResult SingleLook(double difference, double variance, double tau)
    {
        Guard.Finite(difference);
        Guard.FiniteNonNegative(variance);
        Guard.Positive(tau);
        if (variance == 0)
        {
            return new MsprtResult(null, null, "zero variance in both groups");
        }

        var priorToData = tau * tau / variance;
        if (!double.IsFinite(priorToData))
        {
            return new MsprtResult(null, null, "the variance is too small relative to tau to evaluate the likelihood ratio");
        }

        // θ²τ²/(2V(V+τ²)) written as (θ²/2V)·(τ²/V)/(1+τ²/V), and ½ln(V/(V+τ²)) as −½ln(1+τ²/V): no overflow in V(V+τ²).
        var logRatio = (difference * difference / (2 * variance) * (priorToData / (1 + priorToData))) - (0.5 * Math.Log(1 + priorToData));
        return double.IsFinite(logRatio)
            ? new MsprtResult(logRatio, Math.Min(1.0, Math.Exp(-logRatio)), null)
            : new MsprtResult(null, 0, "the likelihood ratio overflows: the evidence against no difference is overwhelming");
    }

    /// <summary>
    /// The always-valid confidence interval of one look: every θ₀ the mSPRT of H₀: θ = θ₀ would not reject at level
    /// <paramref name="alpha"/>, θ̂ ± √(2V(V+τ²)/τ² · (ln(1/α) + ½·ln((V+τ²)/V))) (Johari et al., §3). Intersecting the
    /// intervals of successive looks gives a confidence sequence: it covers the true difference at every look at once with
    /// probability at least 1 − α. Null when the variance is 0.
    /// </summary>
    /// <param name="difference">θ̂, the estimated difference (variant − control).</param>
    /// <param name="variance">V, the variance of θ̂.</param>
    /// <param name="tau">τ &gt; 0, the mixing standard deviation.</param>
    /// <param name="alpha">The error level, in (0, 1); 0.05 gives 95% coverage over all looks.</param>
    public static ConfidenceInterval? AlwaysValidInterval(double difference, double variance, double tau, double alpha = 0.05)
    {
        Guard.Finite(difference);
        Guard.FiniteNonNegative(variance);
        Guard.Positive(tau);
        Guard.OpenUnit(alpha);
        var priorToData = tau * tau / variance;
        if (variance == 0 || !double.IsFinite(priorToData))
        {
            return null;
        }

        // 2V(V+τ²)/τ² written as 2V(1+r)/r with r = τ²/V, so a tiny V does not overflow.
        var halfWidth = Math.Sqrt(2 * variance * (1 + priorToData) / priorToData * (Math.Log(1 / alpha) + (0.5 * Math.Log(1 + priorToData))));
        return double.IsFinite(halfWidth) ? ConfidenceInterval.Around(difference, halfWidth) : null;
    }

    /// <summary>One look at a difference of means, with θ̂ = x̄₂ − x̄₁ and V = s₁²/n₁ + s₂²/n₂ (plug-in).</summary>
    /// <param name="control">Summary of the control group.</param>
    /// <param name="variant">Summary of the variant group.</param>
    /// <param name="tau">τ &gt; 0, the mixing standard deviation: the size of difference the test is tuned to.</param>
    public static MsprtResult SingleLook(SampleSummary control, SampleSummary variant, double tau)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(variant);
        if (control.Count < 2 || control.Mean is not { } m1 || control.Variance is not { } v1)
        {
            return new MsprtResult(null, null, "fewer than 2 observations in the control");
        }

        if (variant.Count < 2 || variant.Mean is not { } m2 || variant.Variance is not { } v2)
        {
            return new MsprtResult(null, null, "fewer than 2 observations in the variant");
        }

        return SingleLook(m2 - m1, (v1 / control.Count) + (v2 / variant.Count), tau);
    }
}
