using Rampart.Analysis.Results;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis.Comparisons;

/// <summary>One variant against the control on one metric, before Holm's adjustment across variants.</summary>
/// <param name="Test">The request-level test behind <paramref name="PValue"/> and <paramref name="Interval"/>.</param>
/// <param name="Diff">mean_v − mean_c.</param>
/// <param name="Lift">diff / mean_c.</param>
/// <param name="PValue">The request-level p-value.</param>
/// <param name="PValueClustered">The delta-method p-value on per-unit sums; null below <see cref="MinimumUnits.PerVariant"/>.</param>
/// <param name="PValueSequential">The mSPRT p-value at this look.</param>
/// <param name="Interval">The request-level 95% interval of the difference.</param>
/// <param name="Missing">Each group of null fields with the reason they are null.</param>
internal sealed record Comparison(
    ComparisonTest Test,
    double? Diff,
    double? Lift,
    double? PValue,
    double? PValueClustered,
    double? PValueSequential,
    ConfidenceInterval? Interval,
    IReadOnlyList<MissingValues> Missing);
