using System.Text.Json;
using Rampart.Core.Allocation;
using Rampart.Core.Rollouts;
using Rampart.Testing;

namespace Rampart.Core.Tests.Allocation;

/// <summary>
/// docs/assignment-test-vectors.json is written by tests/vectors/generate_assignment_vectors.py, an independent
/// Python implementation of DESIGN §2 on the xxhash package: agreeing with it is agreeing across languages and processes.
/// </summary>
public sealed class AssignmentVectorTests
{
    private static readonly JsonDocument Vectors = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.File("docs/assignment-test-vectors.json")));

    [Fact]
    public void Bucket_PublishedVectors_AllMatch()
    {
        var cases = Vectors.RootElement.GetProperty("buckets").EnumerateArray().ToList();
        Assert.True(cases.Count >= 200);
        foreach (var c in cases)
        {
            var sut = new BucketHasher(c.GetProperty("salt").GetString()!);
            var unit = c.GetProperty("unit").GetString()!;
            Assert.Equal(c.GetProperty("bucket").GetInt32(), sut.Bucket(unit));
        }
    }

    [Fact]
    public void Assign_SeedPlanVectors_EveryUnitAtEveryStepMatches()
    {
        var example = Vectors.RootElement.GetProperty("examples")[0];
        var experiments = new List<Experiment> { SeedExperiment.Running() };
        experiments.Add(Rollout.Advance(experiments[^1], SeedExperiment.Epoch, "test").Experiment);
        experiments.Add(Rollout.Advance(experiments[^1], SeedExperiment.Epoch, "test").Experiment);
        experiments.Add(Rollout.Promote(experiments[^1], "variant_b", SeedExperiment.Epoch, "test").Experiment);
        AssertMatches(example, experiments);
    }

    [Fact]
    public void Assign_RollbackVectors_EveryUnitAtEveryStepMatches()
    {
        var example = Vectors.RootElement.GetProperty("examples")[1];
        var experiments = new List<Experiment> { SeedExperiment.Running() };
        experiments.Add(Rollout.Rollback(experiments[^1], "variant_a", "errors", SeedExperiment.Epoch, "test").Experiment);
        experiments.Add(Rollout.Advance(experiments[^1], SeedExperiment.Epoch, "test").Experiment);
        AssertMatches(example, experiments);
    }

    private static void AssertMatches(JsonElement example, List<Experiment> experiments)
    {
        var assigners = experiments.Select(e => new ExperimentAssigner(e)).ToList();
        Assert.Equal(example.GetProperty("steps").GetArrayLength(), assigners.Count);
        foreach (var unit in example.GetProperty("units").EnumerateArray())
        {
            var expected = unit.GetProperty("variants").EnumerateArray().Select(v => v.GetString()!).ToList();
            var actual = assigners.Select(a => a.Assign(unit.GetProperty("unit").GetString()).Variant.Name).ToList();
            Assert.Equal(expected, actual);
        }
    }
}
