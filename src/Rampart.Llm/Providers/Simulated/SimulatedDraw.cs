namespace Rampart.Llm.Providers.Simulated;

/// <summary>One call's random outcome. Every draw is made on every call, in a fixed order, so changing one rate never reshuffles the others.</summary>
internal readonly record struct SimulatedDraw(bool Failed, bool Satisfied, double LatencyMs, double TtftMs)
{
    public static SimulatedDraw Make(ulong seed, SimulationOptions sim)
    {
        var random = new SplitMix64(seed);
        var failed = random.NextDouble() < sim.ErrorRate;
        var satisfied = random.NextDouble() < sim.Satisfaction;
        var latency = sim.LatencyMsMedian * Math.Exp(sim.LatencySigma * random.NextGaussian());
        return new SimulatedDraw(failed, satisfied, latency, latency * sim.TtftFraction);
    }
}
