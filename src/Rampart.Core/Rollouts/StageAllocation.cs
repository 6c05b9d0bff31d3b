using Rampart.Core.Allocation;

namespace Rampart.Core.Rollouts;

/// <summary>One entry of an experiment's allocation history: the range table that served from <see cref="At"/> on.</summary>
/// <param name="Index">Position in the history, from 0.</param>
/// <param name="Stage">The planned stage it belongs to (0-based), or the number of planned stages for the winner's stage.</param>
/// <param name="Kind">Why it was made.</param>
/// <param name="Table">Which variant owns each bucket.</param>
/// <param name="At">When it took effect.</param>
public sealed record StageAllocation(int Index, int Stage, AllocationKind Kind, AllocationTable Table, DateTimeOffset At);
