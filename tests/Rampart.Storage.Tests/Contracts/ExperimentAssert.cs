using Rampart.Core.Allocation;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>Field-by-field equality of experiments (the record's own equality compares its arrays by reference).</summary>
internal static class ExperimentAssert
{
    public static void Same(Experiment expected, Experiment? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(ExperimentDefinitionJson.Write(expected.Definition), ExperimentDefinitionJson.Write(actual.Definition));
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.Winner, actual.Winner);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.StageStartedAt, actual.StageStartedAt);
        Assert.Equal(expected.RolledBack, actual.RolledBack);
        Assert.Equal(expected.Allocations.Length, actual.Allocations.Length);
        for (var i = 0; i < expected.Allocations.Length; i++)
        {
            var (want, got) = (expected.Allocations[i], actual.Allocations[i]);
            Assert.Equal((want.Index, want.Stage, want.Kind, want.At), (got.Index, got.Stage, got.Kind, got.At));
            SameTable(want.Table, got.Table);
        }
    }

    /// <summary>Every one of the 10,000 buckets has the same owner and the same rollback mark.</summary>
    public static void SameTable(AllocationTable expected, AllocationTable actual)
    {
        Assert.Equal(expected.Variants, actual.Variants);
        Assert.Equal(expected.ToRanges(), actual.ToRanges());
        var differs = Enumerable.Range(0, Weight.TotalBuckets)
            .FirstOrDefault(b => expected.OwnerOf(b) != actual.OwnerOf(b) || expected.IsRolledBack(b) != actual.IsRolledBack(b), -1);
        Assert.True(differs < 0, $"bucket {differs} differs");
    }
}
