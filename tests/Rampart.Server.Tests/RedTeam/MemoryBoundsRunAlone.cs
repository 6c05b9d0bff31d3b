namespace Rampart.Server.Tests.RedTeam;

/// <summary>The memory tests' collection: run alone, so no other test's allocations blur the peaks they measure.</summary>
[CollectionDefinition(nameof(MemoryBoundsTests), DisableParallelization = true)]
public sealed class MemoryBoundsRunAlone;
