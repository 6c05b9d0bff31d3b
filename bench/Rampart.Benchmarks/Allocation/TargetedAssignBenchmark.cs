using BenchmarkDotNet.Attributes;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Core.Targeting;

namespace Rampart.Benchmarks.Allocation;

/// <summary>
/// What a targeting check adds to an assignment (docs/targeting.md): the same units and experiment as <see cref="AssignBenchmark"/>,
/// assigned with four attributes, without targeting and with the two-condition example (plan in [pro, team], country not in [DE]).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class TargetedAssignBenchmark
{
    private readonly string[] units = [.. Enumerable.Range(0, 1024).Select(i => $"user-{i:D6}")];
    private readonly UnitAttributes[] attributes = [.. Enumerable.Range(0, 1024).Select(i => UnitAttributes.From(
    [
        new("plan", AttributeValue.Of(i % 3 == 0 ? "free" : "pro")), new("country", AttributeValue.Of(i % 5 == 0 ? "DE" : "FR")),
        new("seats", AttributeValue.Of(i % 50)), new("app_version", AttributeValue.Of("2.4.1")),
    ]))];

    private readonly UnitAttributes[] matching = [.. Enumerable.Range(0, 1024).Select(i => UnitAttributes.From(
    [
        new("plan", AttributeValue.Of(i % 2 == 0 ? "team" : "pro")), new("country", AttributeValue.Of(i % 5 == 0 ? "US" : "FR")),
        new("seats", AttributeValue.Of(i % 50)), new("app_version", AttributeValue.Of("2.4.1")),
    ]))];

    private ExperimentAssigner plain = null!;
    private ExperimentAssigner targeted = null!;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        var advanced = AssignBenchmark.AtSecondStage();
        plain = new ExperimentAssigner(advanced);
        var rule = TargetingJson.Parse("""{"all": [{"attribute": "plan", "in": ["pro", "team"]}, {"attribute": "country", "not_in": ["DE"]}]}""");
        targeted = new ExperimentAssigner(advanced with { Definition = advanced.Definition with { Targeting = rule } });
    }

    /// <summary>An assignment with attributes, of an experiment without targeting.</summary>
    [Benchmark(Baseline = true)]
    public Assignment WithoutTargeting()
    {
        var i = next++ & 1023;
        return plain.Assign(units[i], attributes[i]);
    }

    /// <summary>The same assignment, of an experiment targeting pro/team plans outside Germany (a third of the units fail the first condition, a fifth the second).</summary>
    [Benchmark]
    public Assignment WithTargeting()
    {
        var i = next++ & 1023;
        return targeted.Assign(units[i], attributes[i]);
    }

    /// <summary>The same targeted experiment, every unit matching: both conditions checked, then the hash (the worst case).</summary>
    [Benchmark]
    public Assignment WithTargetingAllMatch()
    {
        var i = next++ & 1023;
        return targeted.Assign(units[i], matching[i]);
    }
}
