using Rampart.Analysis.Results;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis;

/// <summary>The sample-ratio mismatch check: units against the expected weights, flagged when p &lt; 0.001.</summary>
internal static class SampleRatio
{
    public static SrmResult Check(IReadOnlyList<VariantSnapshot> variants, IReadOnlyList<double> weights, List<string> missing)
    {
        var expected = new Dictionary<string, double>(StringComparer.Ordinal);
        var observed = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            expected[variants[i].Name] = weights[i];
            observed[variants[i].Name] = variants[i].Units;
        }

        var unexpected = variants.Where((v, i) => weights[i] == 0 && v.Units > 0).Select(v => v.Name).ToList();
        if (unexpected.Count > 0)
        {
            missing.Add($"srm.p_value is null: {string.Join(", ", unexpected)} {(unexpected.Count > 1 ? "have" : "has")} units but an expected weight of 0 " +
                "(after a rollback, units from earlier stages remain), so the split cannot be tested against these weights.");
            return new SrmResult(null, false, expected, observed);
        }

        var test = ChiSquareTest.GoodnessOfFit([.. variants.Select(v => v.Units)], [.. weights]);
        if (test.PValue is not { } p)
        {
            missing.Add($"srm.p_value is null: {test.Reason}.");
            return new SrmResult(null, false, expected, observed);
        }

        return new SrmResult(p, p < SrmResult.Threshold, expected, observed);
    }
}
