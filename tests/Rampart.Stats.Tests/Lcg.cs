namespace Rampart.Stats.Tests;

/// <summary>
/// The 64-bit linear congruential generator (Knuth's MMIX constants) that the reference values were computed from, so C# and
/// Python see the same numbers. Python twin:
/// <code>
/// def lcg(seed, n):
///     s, out = seed % 2**64, []
///     for _ in range(n):
///         s = (6364136223846793005 * s + 1442695040888963407) % 2**64
///         out.append((s >> 11) * 2.0**-53)
///     return out
/// </code>
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

    public double[] Take(int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = NextDouble();
        }

        return values;
    }
}
