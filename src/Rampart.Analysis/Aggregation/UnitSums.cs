using Rampart.Stats.Ratios;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// The raw sums over units that <see cref="RatioAccumulator.FromSums"/> takes (n, ΣY, ΣN, ΣY², ΣN², ΣYN), gathered in one
/// tight loop over a variant's units. Per-unit sums are moderate (a unit's requests, not a whole variant's), so the raw
/// second moments lose only a few of double's 16 digits — the reference tests hold to 1e-6.
/// </summary>
internal struct UnitSums
{
    private long units;
    private double values;
    private double counts;
    private double squaredValues;
    private double squaredCounts;
    private double products;

    public void Add(double value, double count)
    {
        units++;
        values += value;
        counts += count;
        squaredValues += value * value;
        squaredCounts += count * count;
        products += value * count;
    }

    public readonly RatioAccumulator ToAccumulator() =>
        RatioAccumulator.FromSums(units, values, counts, squaredValues, squaredCounts, products);
}
