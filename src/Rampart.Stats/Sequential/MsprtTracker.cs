using Rampart.Stats.Descriptive;

namespace Rampart.Stats.Sequential;

/// <summary>
/// The always-valid p-value of the mixture SPRT across looks: pₙ = min(pₙ₋₁, 1/Λₙ), p₀ = 1.
/// Rejecting when <see cref="PValue"/> ≤ α keeps the false positive rate ≤ α however often one looks.
/// </summary>
/// <remarks>See <see cref="Msprt"/> for how to choose τ.</remarks>
public sealed class MsprtTracker
{
    /// <summary>Starts (or resumes, from a stored p-value) tracking a difference.</summary>
    /// <param name="tau">τ &gt; 0, the mixing standard deviation: the size of difference the test is tuned to.</param>
    /// <param name="pValue">The running p-value to resume from; 1 for a fresh test.</param>
    public MsprtTracker(double tau, double pValue = 1)
    {
        Guard.Positive(tau);
        Guard.Probability(pValue);
        Tau = tau;
        PValue = pValue;
    }

    /// <summary>τ, the mixing standard deviation.</summary>
    public double Tau { get; }

    /// <summary>The running always-valid p-value; 1 before any look.</summary>
    public double PValue { get; private set; }

    /// <summary>Takes one look and returns the updated running p-value; a look that cannot be evaluated leaves it unchanged.</summary>
    /// <param name="difference">θ̂, the estimated difference (variant − control).</param>
    /// <param name="variance">V, the variance of θ̂.</param>
    public double Observe(double difference, double variance) => Update(Msprt.SingleLook(difference, variance, Tau));

    /// <summary>Takes one look at a difference of means and returns the updated running p-value.</summary>
    /// <param name="control">Summary of the control group so far.</param>
    /// <param name="variant">Summary of the variant group so far.</param>
    public double Observe(SampleSummary control, SampleSummary variant) => Update(Msprt.SingleLook(control, variant, Tau));

    private double Update(MsprtResult look)
    {
        if (look.PValue is { } p)
        {
            PValue = Math.Min(PValue, p);
        }

        return PValue;
    }
}
