using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Llm.Middleware;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers.Simulated;
using Rampart.Server.Tests.Events;
using Rampart.Simulation;
using Rampart.Testing;

namespace Rampart.Server.Tests.Recording;

/// <summary>The gateway, the in-process middleware and the rollout simulation record a call through one recorder, so the same call gives the same events.</summary>
public sealed class ExperimentCallRecordingTests
{
    private const string Key = "recording";
    private const ulong Seed = 7;
    private const string Unit = "user-7-0";   // the simulation's first unit for seed 7
    private const string Question = "Where is my order?";

    // No randomness left in the simulated provider's answer: no failures, no latency spread.
    private static readonly string Definition = $$"""
        { "key": "{{Key}}", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "gpt-4",
                           "params": { "sim": { "latency_ms_median": 800, "latency_sigma": 0, "ttft_fraction": 0.25, "error_rate": 0 } } },
            "variant_a": { "provider": "sim", "model": "gpt-4o-mini",
                           "params": { "sim": { "latency_ms_median": 800, "latency_sigma": 0, "ttft_fraction": 0.25, "error_rate": 0 } } } },
          "stages": [ { "weights": { "control": 50, "variant_a": 50 } } ],
          "logging": { "content": "full" } }
        """;

    [Fact]
    public async Task Record_SameStreamedCallOnSim_GatewayMiddlewareAndSimulationWriteTheSameEvents()
    {
        await using var host = await TestHost.StartAsync();
        await host.CreateExperimentAsync(Definition);
        var experiment = (await host.Experiments.FindAsync(Key))!;

        var gateway = await ThroughGatewayAsync(host);
        var middleware = await ThroughMiddlewareAsync(experiment);
        var simulation = ThroughSimulation(experiment);

        Assert.Equal(Normalized(gateway), Normalized(middleware));
        Assert.Equal("""[{"role":"user","content":"Where is my order?"}]""", gateway[1].Input);
        Assert.Equal($"This is a simulated answer from {gateway[1].Model}.", gateway[1].Output);

        // The simulation sends no messages, so it has no input to log; all else, the answer's text included, is the same.
        Assert.Equal(Normalized(gateway).Select(e => e with { Input = null }), Normalized(simulation));
        Assert.Equal((800.0, 200.0, 120L, 80L), (gateway[1].LatencyMs!.Value, gateway[1].TtftMs!.Value, gateway[1].PromptTokens!.Value, gateway[1].CompletionTokens!.Value));
        Assert.NotNull(gateway[1].CostUsd);
    }

    private static async Task<List<ExperimentEvent>> ThroughGatewayAsync(TestHost host)
    {
        using var response = await host.Ingest.PostAsync("/v1/chat/completions", TestHost.Json($$"""
            {"model":"experiment:{{Key}}","user":"{{Unit}}","stream":true,"messages":[{"role":"user","content":"{{Question}}"}]}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        var events = await DataPlaneTests.EventuallyAsync(host, Key, e => e.Count == 2);
        return [.. events.OrderBy(e => e.Type)];
    }

    private static async Task<List<ExperimentEvent>> ThroughMiddlewareAsync(Core.Rollouts.Experiment experiment)
    {
        var time = new FakeTimeProvider(SeedExperiment.Epoch);
        var sink = new ListEventSink();
        var sim = new SimulationOptions { LatencyMsMedian = 800, LatencySigma = 0, TtftFraction = 0.25, ErrorRate = 0 };
        using var sut = new ExperimentChatClient(
            new SimulatedChatClient(time, sim), Key, new FixedExperimentSnapshot(experiment), sink, new CostEstimator(PriceTable.BuiltIn), time);
        var options = new ChatOptions { AdditionalProperties = new() { [ExperimentChatClient.UnitPropertyName] = Unit } };

        await foreach (var update in sut.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Question)], options))
        {
            Assert.NotNull(update);
        }

        return sink.Events;
    }

    private static List<ExperimentEvent> ThroughSimulation(Core.Rollouts.Experiment experiment)
    {
        var sut = new RolloutSimulation(new SimulationScenario { Definition = experiment.Definition, Seed = Seed, UsersPerStep = 5, FeedbackRate = 0 }, experiment);
        while (true)
        {
            var first = sut.Step().Where(e => e.Unit == Unit).Take(2).ToList();
            if (first.Count > 0)
            {
                return first;
            }
        }
    }

    /// <summary>The events with their ids and times checked for form and then left out: those differ by call, never by caller.</summary>
    private static List<ExperimentEvent> Normalized(List<ExperimentEvent> events)
    {
        Assert.Equal([EventType.Exposure, EventType.Completion], events.Select(e => e.Type));
        Assert.Equal(events[0].RequestId, events[1].RequestId);
        Assert.All(events, e =>
        {
            Assert.True(Guid.TryParseExact(e.Id, "D", out var id) && id.Version == 7, $"event id '{e.Id}' is not a version-7 GUID");
            Assert.True(Guid.TryParseExact(e.RequestId, "D", out var requestId) && requestId.Version == 7, $"request id '{e.RequestId}' is not a version-7 GUID");
        });
        return [.. events.Select(e => e with { Id = null, RequestId = null, Ts = default })];
    }
}
