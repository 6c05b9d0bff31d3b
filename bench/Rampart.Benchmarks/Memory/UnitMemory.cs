using System.Diagnostics;
using System.Globalization;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Events;

namespace Rampart.Benchmarks.Memory;

/// <summary>
/// <c>dotnet run -c Release --project bench/Rampart.Benchmarks -- memory [UNITS]</c>: what the server keeps in memory per unit
/// and per variant (docs/benchmarks.md, issue 18): the results' aggregate (<see cref="ExperimentAggregate"/> in the server's
/// sketch mode) and the monitor's <see cref="RolloutSignals"/>, fed an exposure, a completion and a feedback event per unit
/// (three variants), measured as the managed heap retained after a full collection.
/// </summary>
internal static class UnitMemory
{
    private static readonly string[] Variants = ["control", "variant_a", "variant_b"];

    public static void Run(long units)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"units: {units:N0}, 3 variants, 3 events each (exposure, completion, feedback)"));
        Measure("results aggregate (sketch)", units, () => new ExperimentAggregate("mem", QuantileMode.Sketch), (a, e, n) => ((ExperimentAggregate)a).Add(e, n));
        Measure("monitor signals", units, () => new RolloutSignals("mem"), (s, e, n) => ((RolloutSignals)s).Add(e, n));
    }

    private static void Measure(string name, long units, Func<object> create, Action<object, ExperimentEvent, long> add)
    {
        var before = Retained();
        var watch = Stopwatch.StartNew();
        var target = create();
        var ts = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        long sequence = 0;
        for (long u = 0; u < units; u++)
        {
            var unit = "user-" + u.ToString(CultureInfo.InvariantCulture);
            var variant = Variants[u % 3];
            var request = "r" + u.ToString(CultureInfo.InvariantCulture);
            add(target, new ExperimentEvent { Type = EventType.Exposure, Experiment = "mem", Variant = variant, Unit = unit, Ts = ts, Stage = 0 }, ++sequence);
            add(target, new ExperimentEvent
            {
                Type = EventType.Completion, Experiment = "mem", Variant = variant, Unit = unit, Ts = ts, Stage = 0, RequestId = request,
                LatencyMs = 500 + (u % 1000), CostUsd = 0.001, PromptTokens = 100, CompletionTokens = 50,
            }, ++sequence);
            add(target, new ExperimentEvent
            {
                Type = EventType.Feedback, Experiment = "mem", Variant = variant, Unit = unit, Ts = ts, RequestId = request,
                Score = "user_satisfaction", Value = u % 2,
            }, ++sequence);
        }

        var after = Retained();
        GC.KeepAlive(target);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {(after - before) / (double)units:F1} bytes per unit ({(after - before) / 1048576.0:N0} MiB retained, {watch.Elapsed.TotalSeconds:F1} s)"));
    }

    private static long Retained()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
