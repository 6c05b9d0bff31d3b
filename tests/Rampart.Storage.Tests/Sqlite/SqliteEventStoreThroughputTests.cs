using System.Diagnostics;
using Rampart.Core.Events;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

/// <summary>
/// The insert rate of batched appends: 100 batches of 1,000 completions into a fresh file after 20 warm-up batches,
/// five rounds after a discarded one; the machine is shared, so the medians of wall-clock and of CPU time are both
/// reported. Explicit, so the normal run stays fast and free of timing assertions:
/// <c>dotnet run --project tests/Rampart.Storage.Tests -c Release -- -method "*Throughput*" -explicit only -showLiveOutput</c>.
/// </summary>
public sealed class SqliteEventStoreThroughputTests(ITestOutputHelper output)
{
    private const int Rounds = 5;

    [Theory(Explicit = true)]
    [InlineData("sequential")]
    [InlineData("uuid-v7")]
    [InlineData("none")]
    [InlineData("uuid-v4")]
    public async Task AppendAsync_HundredBatchesOfThousand_ReportsRate(string ids)
    {
        await MeasureAsync(ids); // a discarded round, so that no case pays for the process's warm-up
        var rounds = new List<(double Wall, double Cpu)>();
        for (var round = 0; round < Rounds; round++)
        {
            rounds.Add(await MeasureAsync(ids));
        }

        var wall = rounds.Select(r => r.Wall).Order().ToList();
        var cpu = rounds.Select(r => r.Cpu).Order().ToList();
        output.WriteLine(
            $"ids {ids}: 100 batches of 1,000 events: median {wall[Rounds / 2]:N0} events/s (best {wall[^1]:N0}); median {cpu[Rounds / 2]:N0} per CPU-second");
    }

    /// <summary>Events per second of wall-clock time and per second of the process's CPU time (steadier on a busy machine).</summary>
    private static async Task<(double Wall, double Cpu)> MeasureAsync(string ids)
    {
        var ct = TestContext.Current.CancellationToken;
        using var file = new TempDatabaseFile();
        var sut = new SqliteEventStore(file.Path);
        var batches = Enumerable.Range(0, 120).Select(b => Enumerable.Range(0, 1000).Select(i => Completion(b, i, ids)).ToList()).ToList();
        foreach (var batch in batches.Take(20))
        {
            await sut.AppendAsync(batch, ct); // warm-up: schema, first pages, and the JIT's optimised tier
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches.Skip(20))
        {
            await sut.AppendAsync(batch, ct);
        }

        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Assert.Equal(120_000L, file.Scalar("SELECT COUNT(*) FROM events"));
        return (100_000 / clock.Elapsed.TotalSeconds, 100_000 / cpu.TotalSeconds);
    }

    private static ExperimentEvent Completion(int batch, int i, string ids) => new()
    {
        Type = EventType.Completion, Experiment = "prompt-opt-v2", Variant = i % 10 < 8 ? "control" : "variant_a", Unit = $"user-{i % 997}",
        Ts = TestEvents.T0.AddMilliseconds((batch * 1000) + i), Stage = 0, RequestId = $"r-{batch}-{i}",
        Id = ids switch
        {
            "sequential" => $"e-{batch:D3}-{i:D4}",
            "uuid-v7" => Guid.CreateVersion7().ToString(),
            "uuid-v4" => Guid.NewGuid().ToString(),
            _ => null,
        },
        LatencyMs = 800 + (i % 400), TtftMs = 240.5, PromptTokens = 120, CompletionTokens = 80, CostUsd = 0.0084, Model = "gpt-4",
        Input = "Where is my order?", Output = "It ships tomorrow.",
    };
}
