using System.IO.Hashing;
using System.Text;

namespace Rampart.Llm.Providers.Simulated;

/// <summary>
/// One call's random outcome. Every draw is made on every call, in a fixed order, so changing one rate never reshuffles the
/// others. <see cref="SimulatedProvider"/> answers by it; simulations that need only the outcome (not the response bytes)
/// call <see cref="Make"/> with the same seed and options and get the same answer.
/// </summary>
/// <param name="Failed">Whether the call fails (the provider answers 500).</param>
/// <param name="Satisfied">Whether the user is satisfied with the answer (<c>rampart_sim.satisfied</c>).</param>
/// <param name="LatencyMs">The drawn latency.</param>
/// <param name="TtftMs">The drawn time to first token.</param>
public readonly record struct SimulatedDraw(bool Failed, bool Satisfied, double LatencyMs, double TtftMs)
{
    // Salts the request's stream apart from the call's: a served call's request key is its own request id, whose hash may
    // be its seed.
    private const long RequestSalt = 0x7265717565737431;

    /// <summary>
    /// The outcome of the call with <paramref name="seed"/> under <paramref name="sim"/>. With <see cref="SimulationOptions.RequestSigma"/>
    /// above 0 the latency is multiplied by exp(request_sigma · z), z standard normal drawn from a hash of <paramref name="requestKey"/>
    /// alone, so calls answering the same request (a served call and its shadow calls) share it.
    /// </summary>
    /// <param name="seed">The call's own randomness.</param>
    /// <param name="sim">The variant's behaviour.</param>
    /// <param name="requestKey">The request the call answers (the served request id, for its shadow calls too); null: the call is its own request.</param>
    public static SimulatedDraw Make(ulong seed, SimulationOptions sim, string? requestKey = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        var random = new SplitMix64(seed);
        var failed = random.NextDouble() < sim.ErrorRate;
        var satisfied = random.NextDouble() < sim.Satisfaction;
        var latency = sim.LatencyMsMedian * Math.Exp(sim.LatencySigma * random.NextGaussian());
        if (sim.RequestSigma > 0)
        {
            // A stream of its own: the call's draws above are the same whatever request_sigma is.
            var requestSeed = requestKey is null
                ? seed ^ unchecked((ulong)RequestSalt)
                : XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(requestKey), RequestSalt);
            latency *= Math.Exp(sim.RequestSigma * new SplitMix64(requestSeed).NextGaussian());
        }

        return new SimulatedDraw(failed, satisfied, latency, latency * sim.TtftFraction);
    }
}
