using System.Diagnostics;
using System.Globalization;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Monitoring;
using Rampart.Analysis.Timelines;
using Rampart.Core.Events;

namespace Rampart.Benchmarks.Memory;

/// <summary>
/// <c>dotnet run -c Release --project bench/Rampart.Benchmarks -- memory [UNITS] [COMPLETIONS]</c>: what the server keeps in
/// memory per unit and per variant (docs/benchmarks.md, issue 18): the results' aggregate (<see cref="ExperimentAggregate"/>
/// in the server's sketch mode), the monitor's <see cref="RolloutSignals"/> and the dashboard's <see cref="TimelineRecorder"/>,
/// fed per unit an exposure, COMPLETIONS completions (1 by default) and one rated request (three variants), measured as
/// the managed heap retained after a full collection; then the same for 1,000 variants of one unit each, per variant.
/// </summary>
internal static class UnitMemory
{
    private static readonly string[] Variants = ["control", "variant_a", "variant_b"];

    public static void Run(long units, int completions)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"units: {units:N0}, 3 variants, {completions + 2} events each (an exposure, {completions} completion(s), a feedback)"));
        Measure("results aggregate (sketch)", units, completions, Variants, () => new ExperimentAggregate("mem", QuantileMode.Sketch), (a, e, n) => ((ExperimentAggregate)a).Add(e, n));
        Measure("monitor signals", units, completions, Variants, () => new RolloutSignals("mem"), (s, e, n) => ((RolloutSignals)s).Add(e, n));
        Measure("timeline", units, completions, Variants, () => new TimelineRecorder("mem"), (t, e, n) => ((TimelineRecorder)t).Add(e, n));
        string[] many = [.. Enumerable.Range(0, 1000).Select(i => "variant_" + i.ToString(CultureInfo.InvariantCulture))];
        Console.WriteLine("1,000 variants of one unit each (3 events), so bytes per variant:");
        Measure("results aggregate (sketch)", many.Length, 1, many, () => new ExperimentAggregate("mem", QuantileMode.Sketch), (a, e, n) => ((ExperimentAggregate)a).Add(e, n), "variant");
        Measure("monitor signals", many.Length, 1, many, () => new RolloutSignals("mem"), (s, e, n) => ((RolloutSignals)s).Add(e, n), "variant");
        Measure("timeline", many.Length, 1, many, () => new TimelineRecorder("mem"), (t, e, n) => ((TimelineRecorder)t).Add(e, n), "variant");
    }

    private static void Measure(string name, long units, int completions, string[] variants, Func<object> create, Action<object, ExperimentEvent, long> add, string per = "unit")
    {
        var before = Retained();
        var watch = Stopwatch.StartNew();
        var target = create();
        var ts = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        long sequence = 0;
        for (long u = 0; u < units; u++)
        {
            var unit = "user-" + u.ToString(CultureInfo.InvariantCulture);
            var variant = variants[u % variants.Length];
            var request = "r" + u.ToString(CultureInfo.InvariantCulture);
            add(target, new ExperimentEvent { Type = EventType.Exposure, Experiment = "mem", Variant = variant, Unit = unit, Ts = ts, Stage = 0 }, ++sequence);
            for (var c = 0; c < completions; c++)
            {
                add(target, new ExperimentEvent
                {
                    Type = EventType.Completion, Experiment = "mem", Variant = variant, Unit = unit, Ts = ts, Stage = 0, RequestId = c == 0 ? request : request + "." + c.ToString(CultureInfo.InvariantCulture),
                    LatencyMs = 500 + ((u + c) % 1000), CostUsd = 0.001, PromptTokens = 100, CompletionTokens = 50,
                }, ++sequence);
            }

            add(target, new ExperimentEvent
            {
                Type = EventType.Feedback, Experiment = "mem", Variant = variant, Unit = unit, Ts = ts, RequestId = request,
                Score = "user_satisfaction", Value = u % 2,
            }, ++sequence);
        }

        var after = Retained();
        GC.KeepAlive(target);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {(after - before) / (double)units:F1} bytes per {per} ({(after - before) / 1048576.0:N0} MiB retained, {watch.Elapsed.TotalSeconds:F1} s)"));
    }

    private static long Retained()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
