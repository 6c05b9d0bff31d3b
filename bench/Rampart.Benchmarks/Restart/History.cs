using System.Diagnostics;
using System.Globalization;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Storage;

namespace Rampart.Benchmarks.Restart;

/// <summary>
/// <c>dotnet run -c Release --project bench/Rampart.Benchmarks -- history (--db FILE | --postgres CONNSTRING) EVENTS UNITS</c>:
/// writes a long history for the restart benchmark (bench/load/restart.sh; docs/benchmarks.md): the running experiment
/// <c>history</c> (three variants, 34/33/33) and EVENTS events over UNITS units, each unit an exposure, then completions
/// (latency, tokens, cost; no logged content) and, for one completion in ten, a thumbs-up or -down, spread over 30 days,
/// appended through the store in batches as the server's writer does.
/// </summary>
internal static class History
{
    private const string Key = "history";
    private const int Batch = 20_000;
    private static readonly string[] Variants = ["control", "variant_a", "variant_b"];
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(StorageOptions storage, long events, long units)
    {
        await using var stores = RampartStorage.Open(storage);
        await CreateAsync(stores.Experiments);
        var perUnit = Math.Max(2, events / units);
        var watch = Stopwatch.StartNew();
        var batch = new List<ExperimentEvent>(Batch);
        long written = 0, n = 0;
        var step = TimeSpan.FromDays(30).Ticks / events;
        for (long u = 0; written < events; u = (u + 1) % units)
        {
            var unit = "user-" + u.ToString(CultureInfo.InvariantCulture);
            var variant = Variants[(int)(u % 3)];
            for (long i = 0; i < perUnit && written < events; i++, written++)
            {
                var ts = Start.AddTicks(written * step);
                var id = "h" + written.ToString(CultureInfo.InvariantCulture);
                var request = "r" + (written - (i % 10 == 9 ? 1 : 0)).ToString(CultureInfo.InvariantCulture);
                batch.Add(i == 0
                    ? new ExperimentEvent { Id = id, Type = EventType.Exposure, Experiment = Key, Variant = variant, Unit = unit, Ts = ts, Stage = 0 }
                    : i % 10 == 9
                        ? new ExperimentEvent { Id = id, Type = EventType.Feedback, Experiment = Key, Variant = variant, Unit = unit, Ts = ts, RequestId = request, Score = "thumbs_up", Value = (n++ % 5) < 4 ? 1 : 0 }
                        : new ExperimentEvent
                        {
                            Id = id, Type = EventType.Completion, Experiment = Key, Variant = variant, Unit = unit, Ts = ts, Stage = 0, RequestId = request,
                            Model = "sim-small", LatencyMs = 300 + (written * 7919 % 1500), PromptTokens = 120, CompletionTokens = 80, CostUsd = 0.0004, Error = written % 97 == 0 ? "timeout" : null,
                        });
                if (batch.Count == Batch)
                {
                    await stores.Events.AppendAsync(batch);
                    batch.Clear();
                }
            }

            if (u % 1_000_000 == 0 && u > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written:N0} events in {watch.Elapsed.TotalSeconds:F0} s"));
            }
        }

        await stores.Events.AppendAsync(batch);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {written:N0} events over {Math.Min(units, written / perUnit):N0} units ({perUnit} each) in {watch.Elapsed.TotalSeconds:F0} s ({written / watch.Elapsed.TotalSeconds:N0} events/s)"));
    }

    private static async Task CreateAsync(IExperimentStore experiments)
    {
        var definition = ExperimentDefinitionJson.Parse($$"""
            { "key": "{{Key}}", "control": "control", "primary_score": "thumbs_up",
              "variants": {
                "control":   { "provider": "sim", "model": "sim-small", "temperature": 0.2, "system_prompt": "Be concise." },
                "variant_a": { "provider": "sim", "model": "sim-large", "temperature": 0.8, "system_prompt": "Be warm." },
                "variant_b": { "provider": "sim", "model": "sim-small", "temperature": 0.5, "system_prompt": "Be brief." } },
              "stages": [ { "weights": { "control": 34, "variant_a": 33, "variant_b": 33 } } ], "logging": { "content": "none" } }
            """);
        var draft = Experiment.CreateDraft(definition, Start);
        var started = Rollout.Start(draft, Start, "bench");
        await experiments.CreateAsync(draft, Rollout.Created(draft, "bench"));
        await experiments.UpdateAsync(started.Experiment, started.Audit);
    }
}
