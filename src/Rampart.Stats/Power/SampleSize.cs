using MathNet.Numerics.Distributions;

namespace Rampart.Stats.Power;

/// <summary>Sample sizes for two-sided fixed-horizon tests.</summary>
public static class SampleSize
{
    /// <summary>
    /// Units per group to detect a move from <paramref name="controlRate"/> to <paramref name="variantRate"/> with a two-sided
    /// test, by Cohen's h: n = 2·((z₁₋α/₂ + z_power)/h)², h = 2·asin(√p₂) − 2·asin(√p₁), rounded up.
    /// statsmodels' <c>NormalIndPower().solve_power</c> solves the exact two-tailed equation and differs in the sixth digit.
    /// </summary>
    /// <param name="controlRate">p₁ in [0, 1].</param>
    /// <param name="variantRate">p₂ in [0, 1].</param>
    /// <param name="alpha">Two-sided significance level; 0.05 by default.</param>
    /// <param name="power">Probability of detecting the change; 0.8 by default.</param>
    public static SampleSizeResult ForTwoProportions(double controlRate, double variantRate, double alpha = 0.05, double power = 0.8)
    {
        Guard.Probability(controlRate);
        Guard.Probability(variantRate);
        Guard.OpenUnit(alpha);
        Guard.OpenUnit(power);

        var h = (2 * Math.Asin(Math.Sqrt(variantRate))) - (2 * Math.Asin(Math.Sqrt(controlRate)));
        if (h == 0)
        {
            return new SampleSizeResult(null, null, 0, "the two rates are equal, so there is no difference to detect");
        }

        var z = -Normal.InvCDF(0, 1, alpha / 2) + Normal.InvCDF(0, 1, power);
        var unrounded = 2 * (z / h) * (z / h);
        var rounded = Math.Ceiling(unrounded);
        return rounded < long.MaxValue
            ? new SampleSizeResult((long)rounded, unrounded, h, null)
            : new SampleSizeResult(null, unrounded, h, "the required sample size exceeds the range of a 64-bit count");
    }
}
