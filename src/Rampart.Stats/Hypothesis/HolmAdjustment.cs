namespace Rampart.Stats.Hypothesis;

/// <summary>Holm's step-down adjustment for multiple comparisons (matches <c>statsmodels.stats.multitest.multipletests(p, method="holm")</c>).</summary>
public static class HolmAdjustment
{
    /// <summary>
    /// Adjusted p-values in the input's order: with the m present p-values sorted ascending,
    /// p̃₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). Null entries stay null, keep their position and do not count towards m.
    /// </summary>
    /// <param name="pValues">p-values in [0, 1], or null where a comparison has none.</param>
    public static double?[] Adjust(IReadOnlyList<double?> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var present = new List<int>(pValues.Count);
        for (var i = 0; i < pValues.Count; i++)
        {
            if (pValues[i] is { } p)
            {
                Guard.Probability(p, $"pValues[{i}]");
                present.Add(i);
            }
        }

        // Stable sort by value so ties keep input order, as statsmodels' mergesort does.
        var order = present.OrderBy(i => pValues[i]!.Value).ToArray();
        var adjusted = new double?[pValues.Count];
        var running = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            var scaled = Math.Min(1.0, (order.Length - rank) * pValues[order[rank]]!.Value);
            running = Math.Max(running, scaled);
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }
}
