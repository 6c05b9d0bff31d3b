namespace Rampart.Analysis.Tests.Reference;

/// <summary>
/// A 64-bit linear congruential generator (Knuth's MMIX constants), the same as Rampart.Stats.Tests': seeded, portable,
/// and trivially reproduced in Python, so the reference data set never depends on a library's random generator.
/// </summary>
internal sealed class Lcg(ulong seed)
{
    private ulong state = seed;

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble()
    {
        state = unchecked((6364136223846793005UL * state) + 1442695040888963407UL);
        return (state >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Uniform whole number in [0, <paramref name="count"/>).</summary>
    public int Next(int count) => (int)(NextDouble() * count);
}
