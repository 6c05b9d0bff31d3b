using BenchmarkDotNet.Attributes;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Benchmarks.Allocation;

/// <summary>The hot path: assigning one unit (a string) for a running three-variant experiment (DESIGN §2).</summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class AssignBenchmark
{
    /// <summary>The experiment assigned for (also by <see cref="TargetedAssignBenchmark"/>).</summary>
    internal const string Experiment = """
        { "key": "prompt-opt-v2", "control": "control",
          "variants": { "control": { "provider": "openai", "model": "gpt-4" }, "variant_a": { "provider": "openai", "model": "gpt-4" },
                        "variant_b": { "provider": "openai", "model": "gpt-4-turbo-preview" } },
          "stages": [ { "weights": { "control": 80, "variant_a": 10, "variant_b": 10 } }, { "weights": { "control": 60, "variant_a": 20, "variant_b": 20 } } ] }
        """;

    private readonly string[] units = [.. Enumerable.Range(0, 1024).Select(i => $"user-{i:D6}")];
    private ExperimentAssigner assigner = null!;
    private int next;

    [GlobalSetup]
    public void Setup() => assigner = new ExperimentAssigner(AtSecondStage());

    /// <summary><see cref="Experiment"/> started and advanced to its second stage, 60/20/20.</summary>
    internal static Rampart.Core.Rollouts.Experiment AtSecondStage()
    {
        var now = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var running = Rollout.Start(Rampart.Core.Rollouts.Experiment.CreateDraft(ExperimentDefinitionJson.Parse(Experiment), now), now, "bench").Experiment;
        return Rollout.Advance(running, now, "bench").Experiment;
    }

    /// <summary>One assignment of a typical user id (11 characters), cycling through 1,024 distinct units.</summary>
    [Benchmark]
    public Assignment AssignUnit() => assigner.Assign(units[next++ & 1023]);
}
