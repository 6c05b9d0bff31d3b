namespace Rampart.Analysis.Results;

/// <summary>One score in one variant: the latest feedback per request id counts.</summary>
/// <param name="N">Values counted.</param>
/// <param name="Mean">Their mean; null when there are none.</param>
public sealed record ScoreResult(long N, double? Mean);
