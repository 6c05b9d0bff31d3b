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
    /// <summary>The outcome of the call with <paramref name="seed"/> under <paramref name="sim"/>.</summary>
    public static SimulatedDraw Make(ulong seed, SimulationOptions sim)
    {
        ArgumentNullException.ThrowIfNull(sim);
        var random = new SplitMix64(seed);
        var failed = random.NextDouble() < sim.ErrorRate;
        var satisfied = random.NextDouble() < sim.Satisfaction;
        var latency = sim.LatencyMsMedian * Math.Exp(sim.LatencySigma * random.NextGaussian());
        return new SimulatedDraw(failed, satisfied, latency, latency * sim.TtftFraction);
    }
}
