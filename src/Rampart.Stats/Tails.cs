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
}
