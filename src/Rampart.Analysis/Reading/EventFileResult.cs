using Rampart.Analysis.Aggregation;
using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>What a JSON Lines file of events held.</summary>
/// <param name="Experiments">One aggregate per experiment, in the order first seen.</param>
/// <param name="Events">Valid events read and counted (duplicates left out).</param>
/// <param name="SkippedLines">Invalid lines skipped (only with <see cref="EventFileOptions.SkipInvalid"/>).</param>
/// <param name="Errors">The first skipped lines' problems, each naming its line and field.</param>
public sealed record EventFileResult(
    IReadOnlyList<ExperimentAggregate> Experiments,
    long Events,
    long SkippedLines,
    IReadOnlyList<EventFormatException> Errors)
{
    /// <summary>Valid events left out because an earlier line had the same <c>id</c> (the first wins, as on import).</summary>
    public long Duplicates { get; init; }
}
