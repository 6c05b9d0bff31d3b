namespace Rampart.Stats.Sequential;

/// <summary>
/// One-sided normal-mixture confidence sequence for "a Bernoulli rate exceeds p₀" (Howard, Ramdas, McAuliffe, Sekhon 2021;
/// asymptotic form as in Waudby-Smith et al. 2023): may be checked after every trial.
/// </summary>
/// <remarks>
/// With Sₜ = Σ(Xᵢ − p₀) and Vₜ = t·p₀(1−p₀), the rate is established above p₀ when
/// Sₜ ≥ √((Vₜ + ρ)·ln((Vₜ + ρ)/(ρ·(2α)²))). The two-sided mixture boundary uses α; only the upper side matters here and the
/// mixture is symmetric, so 2α replaces α. Validity is asymptotic (normal approximation), so start checking after some
/// minimum number of trials (Rampart uses 100). ρ sets where the boundary is tightest (Vₜ ≈ ρ); the default
/// ρ = 50·p₀(1−p₀) puts that at the 50th trial, so gross failures are caught within a few hundred requests
/// (in our simulation at 10% errors against p₀ = 5%, α = 0.05: median 134 requests, p99 ≈ 580), while a rate at or below p₀ rarely crosses.
/// </remarks>
public static class BernoulliConfidenceSequence
{
    /// <summary>ρ = 50·p₀(1−p₀): the boundary is tightest around the 50th trial.</summary>
    /// <param name="p0">The threshold rate p₀ in (0, 1).</param>
    public static double DefaultRho(double p0)
    {
        Guard.OpenUnit(p0);
        return 50 * p0 * (1 - p0);
    }

    /// <summary>The upper boundary √((Vₜ + ρ)·ln((Vₜ + ρ)/(ρ·(2α)²))) with Vₜ = t·p₀(1−p₀).</summary>
    /// <param name="trials">t, the number of trials so far.</param>
    /// <param name="p0">The threshold rate p₀ in (0, 1).</param>
    /// <param name="alpha">One-sided error probability over all checks, in (0, 0.5); 0.05 by default.</param>
    /// <param name="rho">Tuning constant ρ &gt; 0; <see cref="DefaultRho"/> when null.</param>
    public static double Boundary(long trials, double p0, double alpha = 0.05, double? rho = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        Guard.OpenUnit(p0);
        if (!(alpha is > 0 and < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "'alpha' must lie strictly between 0 and 0.5 (the one-sided test spends 2α).");
        }

        var r = rho ?? DefaultRho(p0);
        Guard.Positive(r, nameof(rho));
        var intrinsicTime = (trials * p0 * (1 - p0)) + r;
        return Math.Sqrt(intrinsicTime * Math.Log(intrinsicTime / (r * 4 * alpha * alpha)));
    }

    /// <summary>Whether Sₜ = events − t·p₀ has reached the upper boundary: the rate is established above p₀.</summary>
    /// <param name="successesOrFailures">The number of events counted, e.g. failed requests.</param>
    /// <param name="trials">t, the number of trials so far.</param>
    /// <param name="p0">The threshold rate p₀ in (0, 1).</param>
    /// <param name="alpha">One-sided error probability over all checks, in (0, 0.5); 0.05 by default.</param>
    /// <param name="rho">Tuning constant ρ &gt; 0; <see cref="DefaultRho"/> when null.</param>
    public static bool Exceeds(long successesOrFailures, long trials, double p0, double alpha = 0.05, double? rho = null) =>
        Check(successesOrFailures, trials, p0, alpha, rho).Exceeds;

    /// <summary>The statistic, the boundary and whether it is crossed, for reporting.</summary>
    /// <param name="successesOrFailures">The number of events counted, e.g. failed requests.</param>
    /// <param name="trials">t, the number of trials so far.</param>
    /// <param name="p0">The threshold rate p₀ in (0, 1).</param>
    /// <param name="alpha">One-sided error probability over all checks, in (0, 0.5); 0.05 by default.</param>
    /// <param name="rho">Tuning constant ρ &gt; 0; <see cref="DefaultRho"/> when null.</param>
    public static BoundaryCheck Check(long successesOrFailures, long trials, double p0, double alpha = 0.05, double? rho = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successesOrFailures);
        if (trials < successesOrFailures)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, $"'trials' ({trials}) must be at least 'successesOrFailures' ({successesOrFailures}).");
        }

        var boundary = Boundary(trials, p0, alpha, rho);
        var statistic = successesOrFailures - (trials * p0);
        return new BoundaryCheck(statistic, boundary, statistic >= boundary);
    }
}
