using System.Text.Json;
using Rampart.Analysis.Checkpoints;
using Rampart.Analysis.Results;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;
using Rampart.Server.Results;
using Rampart.Simulation;
using Rampart.Testing;

namespace Rampart.Server.Tests.Results;

/// <summary>
/// A results checkpoint read back and followed by the rest of the events holds exactly what one pass over all the events
/// holds: the same state byte for byte, so the same results, timeline and monitor decision. A damaged one is refused whole.
/// </summary>
public sealed class ResultsCheckpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    // The demo's experiment: a shadow stage with a judge and its pairwise preference, stages, exposures, feedback, guardrails.
    private static readonly Lazy<(Rampart.Core.Rollouts.Experiment Experiment, List<StoredEvent> Events)> Demo = new(() =>
    {
        var definition = ExperimentDefinitionJson.Parse(File.ReadAllText(RepositoryPaths.File("src/Rampart.Cli/Demo/prompt-opt-v2.json")));
        var simulation = new RolloutSimulation(new SimulationScenario { Definition = definition, Start = Start, UsersPerStep = 40, Seed = 7, Duration = TimeSpan.FromDays(2) });
        var events = new List<StoredEvent>();
        while (!simulation.Finished && events.Count < 60_000)
        {
            foreach (var e in simulation.Step())
            {
                events.Add(new StoredEvent(events.Count + 1, e));
            }

            simulation.Apply(simulation.Decide(explain: false));
        }

        return (simulation.Experiment, events);
    });

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.93)]
    [InlineData(1.0)]
    public void Read_ThenTheRestOfTheEvents_HoldsWhatOnePassOverAllTheEventsHolds(double share)
    {
        var (experiment, events) = Demo.Value;
        Assert.Contains(events, e => e.Event.Shadow);
        Assert.Contains(events, e => e.Event.Source == JudgeDefinition.Source);
        var cut = (int)(events.Count * share);
        var whole = Follow(new ResultsTracker(), events);
        var written = ResultsCheckpoint.Write(Follow(new ResultsTracker(), events.Take(cut)), Budget(), cut, Id(events, cut), Start);

        var sut = new ResultsTracker();
        var (lastId, _) = ResultsCheckpoint.Read(written.Info, Copy(written.Chunks), sut);
        Follow(sut, events.Skip(cut));

        Assert.Equal(Id(events, cut), lastId);
        Assert.Equal(ResultsCheckpoint.Write(whole, Budget(), events.Count, null, Start).Info.Hash, ResultsCheckpoint.Write(sut, Budget(), events.Count, null, Start).Info.Hash);
        Assert.Equal(ResultsJson.Serialize(whole.Analyze(experiment), indented: false), ResultsJson.Serialize(sut.Analyze(experiment), indented: false));
        Assert.Equal(JsonSerializer.Serialize(whole.Timeline(experiment, 50)), JsonSerializer.Serialize(sut.Timeline(experiment, 50)));
        var now = events[^1].Event.Ts;
        Assert.Equal(JsonSerializer.Serialize(whole.Decide(experiment, now)), JsonSerializer.Serialize(sut.Decide(experiment, now)));
    }

    [Fact]
    public void Read_AnyByteChanged_RefusedAndLeavesTheResultsEmpty()
    {
        var (experiment, events) = Demo.Value;
        var written = ResultsCheckpoint.Write(Follow(new ResultsTracker(), events), Budget(), events.Count, Id(events, events.Count), Start);
        var random = new Random(3);
        for (var i = 0; i < 20; i++)
        {
            var chunks = Copy(written.Chunks);
            var at = random.NextInt64(written.Info.Length);
            chunks[(int)(at / ChunkedMemory.ChunkSize)][at % ChunkedMemory.ChunkSize] ^= (byte)(1 << random.Next(8));
            var sut = new ResultsTracker();

            Assert.Throws<CheckpointFormatException>(() => ResultsCheckpoint.Read(written.Info, chunks, sut));
            Assert.DoesNotContain(sut.Analyze(experiment).Variants, v => v.Requests > 0);
        }
    }

    [Fact]
    public void Read_DamagedBytesWithAMatchingHash_RefusedByTheParserNotReadHalfRight()
    {
        var (experiment, events) = Demo.Value;
        var written = ResultsCheckpoint.Write(Follow(new ResultsTracker(), events), Budget(), events.Count, null, Start);
        var whole = Copy(written.Chunks).SelectMany(c => c).ToArray();
        foreach (var length in new[] { 0, 10, whole.Length / 2, whole.Length - 1 })
        {
            // Truncated, with a hash and length recomputed to match: only the format's own checks can refuse it.
            var (info, chunks) = Rehash(written.Info, whole[..length]);
            var sut = new ResultsTracker();

            Assert.Throws<CheckpointFormatException>(() => ResultsCheckpoint.Read(info, chunks, sut));
            Assert.DoesNotContain(sut.Analyze(experiment).Variants, v => v.Requests > 0);
        }
    }

    [Fact]
    public void Read_AnotherFormat_Refused()
    {
        var (_, events) = Demo.Value;
        var written = ResultsCheckpoint.Write(Follow(new ResultsTracker(), events.Take(100)), Budget(), 100, null, Start);

        var error = Assert.Throws<CheckpointFormatException>(() => ResultsCheckpoint.Read(written.Info with { Format = ResultsCheckpoint.Format + 1 }, Copy(written.Chunks), new ResultsTracker()));
        Assert.Contains("format", error.Message, StringComparison.Ordinal);
    }

    private static ResultsTracker Follow(ResultsTracker tracker, IEnumerable<StoredEvent> events)
    {
        foreach (var e in events)
        {
            tracker.Add(e);
        }

        return tracker;
    }

    private static JudgeBudget Budget() => new(TimeProvider.System, TimeSpan.FromMinutes(5));

    private static string? Id(List<StoredEvent> events, int cut) => cut == 0 ? null : events[cut - 1].Event.Id;

    private static List<byte[]> Copy(IReadOnlyList<ReadOnlyMemory<byte>> chunks) => [.. chunks.Select(c => c.ToArray())];

    private static (CheckpointInfo, List<byte[]>) Rehash(CheckpointInfo info, byte[] bytes)
    {
        var memory = new ChunkedMemory();
        memory.Write(bytes);
        var hash = Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(bytes));
        return (info with { Length = bytes.Length, Hash = hash }, Copy(memory.Chunks));
    }
}
