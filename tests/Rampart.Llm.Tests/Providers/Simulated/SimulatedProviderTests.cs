using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Providers.Simulated;

public sealed class SimulatedProviderTests
{
    private const int Calls = 10_000;

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SendAsync_SameSeed_SameOutcomeAndSameBytes()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var first = new RecordingResponseWriter();
        var second = new RecordingResponseWriter();

        var a = await sut.SendAsync(Call(seed: 42), first, default);
        var b = await sut.SendAsync(Call(seed: 42), second, default);
        var other = await sut.SendAsync(Call(seed: 43), new RecordingResponseWriter(), default);

        Assert.Equal(a, b);
        Assert.Equal(first.Body, second.Body);
        Assert.NotEqual(a.SimulatedLatencyMs, other.SimulatedLatencyMs);
    }

    [Fact]
    public async Task SendAsync_10000Calls_ErrorAndSatisfactionRatesWithinBinomialTolerance()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var results = new List<ChatCallResult>(Calls);
        for (var seed = 0UL; seed < Calls; seed++)
        {
            results.Add(await sut.SendAsync(Call(seed), new RecordingResponseWriter(), default));
        }

        // Four binomial standard deviations: sqrt(n·p·(1−p)).
        var errors = results.Count(r => r.StatusCode == 500);
        Assert.InRange(errors, Calls * 0.01 - 4 * Math.Sqrt(Calls * 0.01 * 0.99), Calls * 0.01 + 4 * Math.Sqrt(Calls * 0.01 * 0.99));
        var answered = results.Where(r => r.StatusCode == 200).ToList();
        var satisfied = answered.Count(r => r.SimulatedSatisfied == true);
        var sd = Math.Sqrt(answered.Count * 0.78 * 0.22);
        Assert.InRange(satisfied, answered.Count * 0.78 - 4 * sd, answered.Count * 0.78 + 4 * sd);
        Assert.All(results.Where(r => r.StatusCode == 500), r => Assert.Equal(("simulated failure", (bool?)null), (r.Error, r.SimulatedSatisfied)));
    }

    [Fact]
    public async Task SendAsync_10000Calls_LatencyIsLognormalAroundTheMedian()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var logs = new List<double>(Calls);
        for (var seed = 0UL; seed < Calls; seed++)
        {
            var result = await sut.SendAsync(Call(seed), new RecordingResponseWriter(), default);
            logs.Add(Math.Log(result.SimulatedLatencyMs!.Value));
        }

        logs.Sort();
        var median = Math.Exp((logs[Calls / 2 - 1] + logs[Calls / 2]) / 2);
        var mean = logs.Average();
        var sigma = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (Calls - 1));

        // The sample median's log has sd ≈ 1.2533·σ/√n = 0.005, so 2% is four of them; the sample σ has sd σ/√(2n) ≈ 0.003.
        Assert.InRange(median, 800 * 0.98, 800 * 1.02);
        Assert.InRange(sigma, 0.4 - 0.012, 0.4 + 0.012);
    }

    [Fact]
    public async Task SendAsync_Json_IsAChatCompletionWithUsageAndTheSatisfactionVerdict()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var writer = new RecordingResponseWriter();

        var result = await sut.SendAsync(Call(seed: 7, sim: new SimulationOptions { ErrorRate = 0, Satisfaction = 1, PromptTokens = 11, CompletionTokens = 22 }), writer, default);

        var body = JsonNode.Parse(writer.Body)!;
        Assert.Equal((200, "application/json"), (writer.StatusCode, writer.ContentType));
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.Equal("gpt-4", (string?)body["model"]);
        Assert.Equal("This is a simulated answer from gpt-4.", (string?)body["choices"]![0]!["message"]!["content"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"prompt_tokens":11,"completion_tokens":22,"total_tokens":33}"""), body["usage"]));
        Assert.True((bool)body["rampart_sim"]!["satisfied"]!);
        Assert.Equal((11L, 22L, true, (double?)null), (result.PromptTokens, result.CompletionTokens, result.SimulatedSatisfied, result.TtftMs));
    }

    [Fact]
    public async Task SendAsync_Quality_CarriedInTheResultAndRampartSimAndTheSameForEverySeed()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var sim = new SimulationOptions { ErrorRate = 0, Quality = 0.35 };

        var results = new List<(ChatCallResult Result, JsonNode Body)>();
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var writer = new RecordingResponseWriter();
            results.Add((await sut.SendAsync(Call(seed, sim: sim), writer, default), JsonNode.Parse(writer.Body)!));
        }

        Assert.All(results, r => Assert.Equal(0.35, r.Result.SimulatedQuality));
        Assert.All(results, r => Assert.Equal(0.35, (double)r.Body["rampart_sim"]!["quality"]!));
    }

    [Fact]
    public async Task SendAsync_Stream_SendsPiecesThenUsageWithTheVerdictThenDone()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var writer = new RecordingResponseWriter();

        var result = await sut.SendAsync(Call(seed: 7, stream: true, sim: new SimulationOptions { ErrorRate = 0, Satisfaction = 0 }), writer, default);

        Assert.Equal("text/event-stream", writer.ContentType);
        Assert.Equal("[DONE]", writer.DataLines[^1]);
        var chunks = writer.Chunks;
        Assert.Equal("This is a simulated answer from gpt-4.", string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0)
            .Select(c => (string?)c["choices"]![0]!["delta"]!["content"])));
        Assert.Equal(120, (int)chunks[^1]["usage"]!["prompt_tokens"]!);
        Assert.False((bool)chunks[^1]["rampart_sim"]!["satisfied"]!);
        Assert.Equal(result.SimulatedLatencyMs * 0.3, result.TtftMs);
        Assert.Equal("This is a simulated answer from gpt-4.", result.Output);
    }

    [Fact]
    public async Task SendAsync_ErrorRateOne_Answers500SimulatedFailureAndWritesNothing()
    {
        var writer = new RecordingResponseWriter();

        var result = await new SimulatedProvider(timeProvider: time).SendAsync(Call(seed: 1, sim: new SimulationOptions { ErrorRate = 1 }), writer, default);

        Assert.Equal((500, "simulated failure"), (result.StatusCode, result.Error));
        Assert.False(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_LatencyAboveTheTimeout_Answers504()
    {
        var call = Call(seed: 1, sim: new SimulationOptions { ErrorRate = 0, LatencySigma = 0, LatencyMsMedian = 5000 }) with { Timeout = TimeSpan.FromSeconds(2) };

        var result = await new SimulatedProvider(timeProvider: time).SendAsync(call, new RecordingResponseWriter(), default);

        Assert.Equal((504, 2000.0), (result.StatusCode, result.SimulatedLatencyMs));
    }

    [Fact]
    public async Task SendAsync_RealTime_AnswersOnlyOnceTheLatencyHasPassed()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var writer = new RecordingResponseWriter();

        var call = sut.SendAsync(Call(seed: 1, sim: RealTime()), writer, default);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(20);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((200, 1000.0), (result.StatusCode, result.SimulatedLatencyMs));
        Assert.True(writer.HasStarted);
    }

    [Fact]
    public async Task SendAsync_RealTimeStream_FirstChunkAfterTtftAndTheRestSpreadOverTheLatency()
    {
        var sut = new SimulatedProvider(timeProvider: time);
        var writer = new RecordingResponseWriter();

        var call = sut.SendAsync(Call(seed: 1, stream: true, sim: RealTime()), writer, default);
        time.Advance(TimeSpan.FromMilliseconds(299));
        await Task.Delay(20);
        Assert.False(writer.HasStarted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => writer.Writes.Count == 2, failure: () => "the role chunk and the first piece");
        for (var gap = 0; gap < 4; gap++)
        {
            Assert.False(call.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(175));
            await Eventually.TrueAsync(() => writer.Writes.Count >= 3 + gap, failure: () => $"the write after gap {gap + 1}");
        }

        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((300.0, 1000.0), (result.TtftMs, result.SimulatedLatencyMs));
        Assert.Equal("[DONE]", writer.DataLines[^1]);
    }

    private static SimulationOptions RealTime() => new() { ErrorRate = 0, LatencySigma = 0, LatencyMsMedian = 1000, TtftFraction = 0.3, RealTime = true };

    private static ChatCall Call(ulong seed, bool stream = false, SimulationOptions? sim = null) => new(
        new JsonObject { ["model"] = "gpt-4", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }) },
        stream,
        TimeSpan.FromSeconds(60),
        seed,
        sim);
}
