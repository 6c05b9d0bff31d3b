using Rampart.Core.Allocation;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>One stored allocation (a row of <c>allocations</c>), its ranges as text.</summary>
internal sealed record PostgresAllocationRow(int Index, int Stage, string Kind, DateTimeOffset At, string Ranges)
{
    /// <summary>The allocation, its table rebuilt from the stored ranges.</summary>
    public StageAllocation ToAllocation(IReadOnlyList<string> variants) => new(
        Index, Stage, StorageText.Parse<AllocationKind>(Kind, "kind"), AllocationTable.FromRanges(variants, StorageJson.ReadRanges(Ranges)), At);
}
