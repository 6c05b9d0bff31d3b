using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Reading;

/// <summary>How <see cref="EventFileReader"/> reads a JSON Lines file of events.</summary>
/// <param name="Mode">How latencies are kept. Default: Exact.</param>
/// <param name="SkipInvalid">Skip (and count) invalid lines instead of stopping at the first. Default: false.</param>
/// <param name="KeptErrors">How many skipped lines' problems are kept for reporting. Default: 20.</param>
public sealed record EventFileOptions(QuantileMode Mode = QuantileMode.Exact, bool SkipInvalid = false, int KeptErrors = 20);
