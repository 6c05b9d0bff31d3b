using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Rampart.Stats;

/// <summary>Tail probabilities and critical values, computed in the tail so tiny p-values keep their precision.</summary>
internal static class Tails
{
    /// <summary>2·(1 − Φ(|z|)), evaluated as 2·Φ(−|z|).</summary>
    public static double TwoSidedNormal(double z) => Math.Min(1.0, 2 * Normal.CDF(0, 1, -Math.Abs(z)));

    /// <summary>1 − Φ(z), evaluated as Φ(−z).</summary>
    public static double UpperNormal(double z) => Normal.CDF(0, 1, -z);

    /// <summary>2·(1 − F_t,df(|t|)), evaluated in the lower tail.</summary>
    public static double TwoSidedStudent(double t, double degreesOfFreedom) =>
        Math.Min(1.0, 2 * StudentT.CDF(0, 1, degreesOfFreedom, -Math.Abs(t)));

    /// <summary>z₁₋₍₁₋c₎/₂, exact (z₀.₉₇₅ = 1.959963984540054…), never rounded.</summary>
    public static double NormalCritical(double confidence) => -Normal.InvCDF(0, 1, (1 - confidence) / 2);

    /// <summary>t₁₋₍₁₋c₎/₂,df.</summary>
    public static double StudentCritical(double confidence, double degreesOfFreedom) =>
        -StudentT.InvCDF(0, 1, degreesOfFreedom, (1 - confidence) / 2);

    /// <summary>P(X ≤ k) for X ~ Binomial(n, ½), as I₀.₅(n − k, k + 1): the regularised incomplete beta keeps tiny tails precise.</summary>
    public static double LowerBinomialHalf(long k, long n) => k < 0 ? 0 : k >= n ? 1 : SpecialFunctions.BetaRegularized(n - k, k + 1, 0.5);

    /// <summary>P(X ≥ k) for X ~ Binomial(n, ½), which by symmetry is P(X ≤ n − k).</summary>
    public static double UpperBinomialHalf(long k, long n) => LowerBinomialHalf(n - k, n);

    /// <summary>Two-sided exact binomial p-value of k successes in n at p = ½, 2·P(X ≤ min(k, n − k)) capped at 1 (<c>scipy.stats.binomtest(k, n).pvalue</c>).</summary>
    public static double TwoSidedBinomialHalf(long k, long n) => Math.Min(1.0, 2 * LowerBinomialHalf(Math.Min(k, n - k), n));
}
