namespace Rampart.Analysis.Results;

/// <summary>
/// A judge against the people's score (docs/statistics.md, "Judge calibration") on the requests scored by both: Pearson's r of the
/// raw values, and Cohen's κ and the share of equal verdicts once each value is binarised (above 0.5 → 1: on a 1–5 scale a 4 or a 5). A figure that cannot be
/// computed is null and <see cref="Reason"/> says why.
/// </summary>
/// <param name="Against">The score the judge is compared with (the experiment's primary score).</param>
/// <param name="N">Requests with both scores.</param>
/// <param name="Correlation">Pearson's r, or null.</param>
/// <param name="Kappa">Cohen's κ, or null.</param>
/// <param name="Agreement">The share of requests whose binarised scores agree, or null.</param>
/// <param name="Reason">Why a figure is null; null when all are present.</param>
public sealed record CalibrationResult(string Against, long N, double? Correlation, double? Kappa, double? Agreement, string? Reason);
