using System.Globalization;

namespace Rampart.Simulation.Tests;

/// <summary>Runs many seeded simulations in parallel; <c>RAMPART_SIM_RUNS</c> scales the count for the larger runs in docs/rollouts.md.</summary>
public static class Runs
{
    /// <summary>The number of runs: <paramref name="suite"/> unless <c>RAMPART_SIM_RUNS</c> says otherwise.</summary>
    public static int Count(int suite) =>
        int.TryParse(Environment.GetEnvironmentVariable("RAMPART_SIM_RUNS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : suite;

    /// <summary>Runs <paramref name="run"/> for seeds 1..<paramref name="count"/> in parallel, results in seed order.</summary>
    public static T[] Each<T>(int count, Func<ulong, T> run)
    {
        var results = new T[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => results[i] = run((ulong)i + 1));
        return results;
    }

    /// <summary>A line for the test output (and docs/rollouts.md).</summary>
    public static string Share(string what, int hits, int runs) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}: {hits} of {runs} runs ({100.0 * hits / runs:0.0}%)");
}
