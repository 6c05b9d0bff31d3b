using FsCheck;
using FsCheck.Fluent;
using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Tests.Aggregation;

public sealed class LatencySortTests
{
    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property Sort_NonNegativeValues_SameOrderAsArraySort() =>
        Prop.ForAll(Values().ToArbitrary(), values =>
        {
            var expected = values.ToArray();
            Array.Sort(expected);

            LatencySort.Sort(values);

            Assert.Equal(expected, values);
        });

    [Fact]
    public void Sort_MillionLatencies_Sorted()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 1_000_000).Select(_ => Math.Round(900 * Math.Exp(random.NextDouble() * 4), 1)).ToArray();
        var expected = values.ToArray();
        Array.Sort(expected);

        LatencySort.Sort(values);

        Assert.Equal(expected, values);
    }

    // Lengths on both sides of the small-input cut-off; zeros, denormals, duplicates, huge values.
    private static Gen<double[]> Values() =>
        from length in Gen.Elements(0, 1, 5, 1023, 1024, 3000)
        from values in Gen.ArrayOf(
            Gen.OneOf(
                Gen.Choose(0, 100_000).Select(v => v / 10.0),
                Gen.Elements(0.0, double.Epsilon, 1e-300, 1e300, double.MaxValue, 1234.5)),
            length)
        select values;
}
