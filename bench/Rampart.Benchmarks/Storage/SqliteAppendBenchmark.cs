using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Rampart.Core.Events;
using Rampart.Storage.Sqlite;

namespace Rampart.Benchmarks.Storage;

/// <summary>
/// Batched appends into a fresh SQLite file: 100 batches of 1,000 completions per invocation (after 20 warm-up
/// batches), with time-ordered ids as the gateway writes them, or none. The figure per operation is per event.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class SqliteAppendBenchmark
{
    private const int Batches = 100;
    private const int BatchSize = 1000;
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private List<List<ExperimentEvent>> batches = [];
    private SqliteEventStore store = null!;
    private string path = "";

    /// <summary>How events are identified: <c>sequential</c> (time-ordered) or <c>none</c>.</summary>
    [Params("sequential", "none")]
    public string Ids { get; set; } = "sequential";

    [IterationSetup]
    public void Setup()
    {
        path = Path.Combine(Path.GetTempPath(), $"rampart-bench-{Guid.NewGuid():N}.db");
        store = new SqliteEventStore(path);
        batches = [.. Enumerable.Range(0, Batches + 20).Select(b => Enumerable.Range(0, BatchSize).Select(i => Completion(b, i)).ToList())];
        foreach (var batch in batches.Take(20))
        {
            store.AppendAsync(batch).GetAwaiter().GetResult();
        }
    }

    [Benchmark(OperationsPerInvoke = Batches * BatchSize)]
    public async Task AppendHundredBatchesOfThousand()
    {
        foreach (var batch in batches.Skip(20))
        {
            await store.AppendAsync(batch);
        }
    }

    [IterationCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private ExperimentEvent Completion(int batch, int i) => new()
    {
        Type = EventType.Completion, Experiment = "prompt-opt-v2", Variant = i % 10 < 8 ? "control" : "variant_a", Unit = $"user-{i % 997}",
        Ts = T0.AddMilliseconds((batch * BatchSize) + i), Stage = 0, RequestId = $"r-{batch}-{i}",
        Id = Ids == "sequential" ? $"e-{batch:D3}-{i:D4}" : null,
        LatencyMs = 800 + (i % 400), TtftMs = 240.5, PromptTokens = 120, CompletionTokens = 80, CostUsd = 0.0084, Model = "gpt-4",
        Input = "Where is my order?", Output = "It ships tomorrow.",
    };
}
