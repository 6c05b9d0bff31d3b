using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Llm.Middleware;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Middleware;

public sealed class ExperimentChatClientTests
{
    private const string Key = "prompt-opt-v2";
    private const string ConcisePrompt = "You are a helpful customer support agent. Be concise and professional.";

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);
    private readonly RecordingEventSink sink = new();
    private readonly InMemoryExperimentStore store = new(SeedExperiment.Running());

    [Fact]
    public async Task GetResponseAsync_SameUnit_SameVariantEveryCall()
    {
        var (sut, inner) = Create();
        var expected = new ExperimentAssigner(SeedExperiment.Running()).Assign("user-1").Variant;

        var variants = new List<object?>();
        for (var i = 0; i < 5; i++)
        {
            var response = await sut.GetResponseAsync(Conversation(), For("user-1"));
            variants.Add(response.AdditionalProperties![ExperimentChatClient.VariantPropertyName]);
        }

        Assert.All(variants, v => Assert.Equal(expected.Name, v));
        Assert.All(inner.Calls, c => Assert.Equal((expected.Config.Model, (float?)expected.Config.Temperature), (c.Options!.ModelId, c.Options.Temperature)));
    }

    [Fact]
    public async Task GetResponseAsync_UnitOnVariantB_ItsModelTemperatureAndSystemPromptReachTheInnerClient()
    {
        var (sut, inner) = Create();
        var conversation = Conversation();
        var options = For(UnitOn("variant_b"));

        await sut.GetResponseAsync(conversation, options);

        Assert.Equal(("gpt-4-turbo-preview", 0.7f), (inner.LastOptions!.ModelId, inner.LastOptions.Temperature));
        Assert.Equal([(ChatRole.System, ConcisePrompt), (ChatRole.User, "Hi")], inner.LastMessages.Select(m => (m.Role, m.Text)));
        Assert.Equal("You are a pirate.", conversation[0].Text);
        Assert.Null(options.ModelId);
    }

    [Fact]
    public async Task GetResponseAsync_NoSystemMessage_ThePromptIsInsertedFirst()
    {
        var (sut, inner) = Create();

        await sut.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], For(UnitOn("variant_a")));

        Assert.Equal(ChatRole.System, inner.LastMessages[0].Role);
        Assert.StartsWith("You are a friendly", inner.LastMessages[0].Text, StringComparison.Ordinal);
        Assert.Equal(0.9f, inner.LastOptions!.Temperature);
    }

    [Fact]
    public async Task GetResponseAsync_Success_WritesExposureThenCompletionWithTokensCostAndLatency()
    {
        var (sut, _) = Create();
        var unit = UnitOn("control");

        var response = await sut.GetResponseAsync(Conversation(), For(unit));

        var requestId = (string)response.AdditionalProperties![ExperimentChatClient.RequestIdPropertyName]!;
        var expected = new ExperimentEvent
        {
            Type = EventType.Exposure, Experiment = Key, Variant = "control", Unit = unit, Ts = SeedExperiment.Epoch, Stage = 0, RequestId = requestId,
        };
        Assert.Equal(
            [
                expected,
                expected with
                {
                    Type = EventType.Completion, Ts = SeedExperiment.Epoch.AddMilliseconds(1234.5), LatencyMs = 1234.5, PromptTokens = 120,
                    CompletionTokens = 80, CostUsd = 0.0084, Model = "gpt-4",
                    Input = """[{"role":"system","content":"You are a pirate."},{"role":"user","content":"Hi"}]""", Output = "Hello, world",
                },
            ],
            sink.Events.Select(e => e with { Id = null }));
        Assert.All(sink.Events, e => Assert.True(Guid.TryParseExact(e.Id, "D", out var id) && id.Version == 7, e.Id));
        Assert.Equal(Key, response.AdditionalProperties[ExperimentChatClient.ExperimentPropertyName]);
    }

    [Fact]
    public async Task GetResponseAsync_InnerReportsTokensOutOfRange_CompletionKeptWithThemAndTheirCostNullAndAWarning()
    {
        var inner = new FakeChatClient(time) { Usage = new() { InputTokenCount = long.MaxValue, OutputTokenCount = 80 } };
        var logger = new ListLogger<ExperimentChatClient>();
        var snapshot = new StoreExperimentSnapshot(store, TimeSpan.FromSeconds(2), time);
        var sut = new ExperimentChatClient(inner, Key, snapshot, sink, new CostEstimator(PriceTable.BuiltIn), time, logger);

        await sut.GetResponseAsync(Conversation(), For(UnitOn("control")));

        var completion = sink.Events.Single(e => e.Type == EventType.Completion);
        Assert.Equal(((long?)null, (long?)80, (double?)null, 1234.5), (completion.PromptTokens, completion.CompletionTokens, completion.CostUsd, completion.LatencyMs!.Value));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("'prompt_tokens'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetResponseAsync_CallerGivesARequestId_ItIsUsed()
    {
        var (sut, _) = Create();
        var options = For(UnitOn("control"));
        options.AdditionalProperties![ExperimentChatClient.RequestIdPropertyName] = "r-1";

        var response = await sut.GetResponseAsync(Conversation(), options);

        Assert.Equal("r-1", response.AdditionalProperties![ExperimentChatClient.RequestIdPropertyName]);
        Assert.All(sink.Events, e => Assert.Equal("r-1", e.RequestId));
    }

    [Fact]
    public async Task GetResponseAsync_InnerThrows_WritesTheErrorAndRethrows()
    {
        var (sut, _) = Create(new FakeChatClient(time) { Failure = new HttpRequestException("upstream said 503") });

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => sut.GetResponseAsync(Conversation(), For(UnitOn("variant_a"))));

        Assert.Equal("upstream said 503", thrown.Message);
        var completion = sink.Events[^1];
        Assert.Equal((EventType.Completion, "variant_a", "HttpRequestException: upstream said 503", 1234.5),
            (completion.Type, completion.Variant, completion.Error, completion.LatencyMs));
        Assert.Null(completion.CostUsd);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_CompletionCancelledWithTheLatencySoFarAndTheCancellationRethrown()
    {
        using var cancel = new CancellationTokenSource();
        var (sut, _) = Create(new FakeChatClient(time) { Hangs = true });

        var call = sut.GetResponseAsync(Conversation(), For(UnitOn("control")), cancel.Token);
        await cancel.CancelAsync();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cancel.Token, thrown.CancellationToken);
        Assert.Equal([EventType.Exposure, EventType.Completion], sink.Events.Select(e => e.Type));
        var completion = sink.Events[1];
        Assert.Equal((CancelledCall.Error, 1234.5, (double?)null, "gpt-4"), (completion.Error, completion.LatencyMs, completion.TtftMs, completion.Model));
        Assert.Equal(((long?)null, (long?)null, (double?)null, (string?)null), (completion.PromptTokens, completion.CompletionTokens, completion.CostUsd, completion.Output));
        Assert.Equal(sink.Events[0].RequestId, completion.RequestId);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancelsAfterTheAnswer_OneCompletionAsAnswered()
    {
        using var cancel = new CancellationTokenSource();
        var (sut, _) = Create();

        await sut.GetResponseAsync(Conversation(), For(UnitOn("control")), cancel.Token);
        await cancel.CancelAsync();

        var completion = Assert.Single(sink.Events, e => e.Type == EventType.Completion);
        Assert.Equal(((string?)null, 120L, "Hello, world"), (completion.Error, completion.PromptTokens, completion.Output));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Success_RelaysUpdatesAndWritesTtftTokensCostAndLatency()
    {
        var (sut, _) = Create();
        var unit = UnitOn("variant_b");

        var updates = await sut.GetStreamingResponseAsync(Conversation(), For(unit)).ToListAsync();

        Assert.Equal("Hello, world", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal("variant_b", updates[0].AdditionalProperties![ExperimentChatClient.VariantPropertyName]);
        Assert.Equal([EventType.Exposure, EventType.Completion], sink.Events.Select(e => e.Type));
        var completion = sink.Events[1];
        Assert.Equal((310.0, 1234.5, 120L, 80L, "gpt-4-turbo-preview", (string?)null), (completion.TtftMs, completion.LatencyMs, completion.PromptTokens, completion.CompletionTokens, completion.Model, completion.Error));
        Assert.Equal(0.0036, completion.CostUsd);
        Assert.Equal("Hello, world", completion.Output);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsMidStream_CompletionCancelledWithTtftLatencyAndThePartialOutput()
    {
        using var cancel = new CancellationTokenSource();
        var (sut, _) = Create(new FakeChatClient(time) { Hangs = true });
        var seen = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in sut.GetStreamingResponseAsync(Conversation(), For(UnitOn("control")), cancel.Token))
            {
                seen.Add(update.Text);
                if (seen.Count == 3)
                {
                    time.Advance(TimeSpan.FromMilliseconds(100));
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(3, seen.Count);
        Assert.Equal([EventType.Exposure, EventType.Completion], sink.Events.Select(e => e.Type));
        var completion = sink.Events[1];
        Assert.Equal((CancelledCall.Error, 410.0, (double?)310.0, "gpt-4", "Hello, world"), (completion.Error, completion.LatencyMs, completion.TtftMs, completion.Model, completion.Output));
        Assert.Equal(((long?)null, (long?)null, (double?)null), (completion.PromptTokens, completion.CompletionTokens, completion.CostUsd));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerBreaksAfterTheFirstUpdate_CompletionCancelledWithWhatHadCome()
    {
        var (sut, _) = Create();

        await foreach (var update in sut.GetStreamingResponseAsync(Conversation(), For(UnitOn("control"))))
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            break;
        }

        Assert.Equal([EventType.Exposure, EventType.Completion], sink.Events.Select(e => e.Type));
        var completion = sink.Events[1];
        Assert.Equal((CancelledCall.Error, 360.0, (double?)310.0, "gpt-4", "Hello"), (completion.Error, completion.LatencyMs, completion.TtftMs, completion.Model, completion.Output));
        Assert.Equal(((long?)null, (long?)null, (double?)null), (completion.PromptTokens, completion.CompletionTokens, completion.CostUsd));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerBreaksAfterTheUsage_CompletionCancelledWithTheTokens()
    {
        var (sut, _) = Create();

        await foreach (var update in sut.GetStreamingResponseAsync(Conversation(), For(UnitOn("control"))))
        {
            if (update.Contents.OfType<UsageContent>().Any())
            {
                break;
            }
        }

        var completion = Assert.Single(sink.Events, e => e.Type == EventType.Completion);
        Assert.Equal((CancelledCall.Error, 1234.5, 120L, 80L, "Hello, world"), (completion.Error, completion.LatencyMs, completion.PromptTokens, completion.CompletionTokens, completion.Output));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsAsTheStreamEnds_OneCompletionAsFinished()
    {
        using var cancel = new CancellationTokenSource();
        var (sut, _) = Create();

        // The fake ignores the token once its pieces are out, so the stream ends normally with the token already cancelled.
        await foreach (var update in sut.GetStreamingResponseAsync(Conversation(), For(UnitOn("control")), cancel.Token))
        {
            if (update.Contents.OfType<UsageContent>().Any())
            {
                await cancel.CancelAsync();
            }
        }

        var completion = Assert.Single(sink.Events, e => e.Type == EventType.Completion);
        Assert.Equal(((string?)null, 1234.5, 120L, 0.0084), (completion.Error, completion.LatencyMs, completion.PromptTokens, completion.CostUsd));
    }

    [Fact]
    public async Task GetResponseAsync_AnswerLongerThanTheGatewayStores_OutputCutAsTheGatewayCutsIt()
    {
        var answer = string.Concat(Enumerable.Repeat("0123456789", 30_000));
        var (sut, _) = Create(new FakeChatClient(time) { Pieces = [answer] });

        var response = await sut.GetResponseAsync(Conversation(), For(UnitOn("control")));

        Assert.Equal(answer, response.Text);
        Assert.Equal(answer[..UpstreamLimits.DefaultMaxStoredOutputChars] + UpstreamLimits.TruncatedMarker, sink.Events[1].Output);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AnswerLongerThanTheGatewayStores_OutputCutAsTheGatewayCutsIt()
    {
        var pieces = Enumerable.Repeat("0123456789", 30_000).ToArray();
        var (sut, _) = Create(new FakeChatClient(time) { Pieces = pieces });

        var updates = await sut.GetStreamingResponseAsync(Conversation(), For(UnitOn("control"))).ToListAsync();

        Assert.Equal(300_000, string.Concat(updates.Select(u => u.Text)).Length);
        Assert.Equal(string.Concat(pieces)[..UpstreamLimits.DefaultMaxStoredOutputChars] + UpstreamLimits.TruncatedMarker, sink.Events[1].Output);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_InnerThrowsMidStream_WritesTheErrorAndRethrows()
    {
        var (sut, _) = Create(new FakeChatClient(time) { Failure = new InvalidOperationException("stream broke") });
        var seen = new List<string>();

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var update in sut.GetStreamingResponseAsync(Conversation(), For(UnitOn("control"))))
            {
                seen.Add(update.Text);
            }
        });

        Assert.Equal(3, seen.Count);
        var completion = Assert.Single(sink.Events, e => e.Type == EventType.Completion);
        Assert.Equal(("InvalidOperationException: stream broke", 310.0), (completion.Error, completion.TtftMs));
    }

    [Fact]
    public async Task GetResponseAsync_NoUnit_ControlAndNoEvents()
    {
        var (sut, inner) = Create();

        var response = await sut.GetResponseAsync(Conversation(), new ChatOptions());

        Assert.Equal(("gpt-4", 0.7f), (inner.LastOptions!.ModelId, inner.LastOptions.Temperature));
        Assert.Equal("control", response.AdditionalProperties![ExperimentChatClient.VariantPropertyName]);
        Assert.Empty(sink.Events);
    }

    [Fact]
    public async Task GetResponseAsync_PausedExperiment_ControlAndNoEvents()
    {
        store.Put(Rollout.Pause(SeedExperiment.Running(), SeedExperiment.Epoch, "test").Experiment);
        var (sut, inner) = Create();

        await sut.GetResponseAsync(Conversation(), For(UnitOn("variant_b")));

        Assert.Equal("gpt-4", inner.LastOptions!.ModelId);
        Assert.Empty(sink.Events);
    }

    [Fact]
    public async Task GetResponseAsync_ExperimentMissing_PassesThroughUnchanged()
    {
        var inner = new FakeChatClient(time);
        var sut = new ExperimentChatClient(inner, "no-such-experiment", new StoreExperimentSnapshot(store, TimeSpan.FromSeconds(2), time), sink, timeProvider: time);
        var options = For("user-1");

        var response = await sut.GetResponseAsync(Conversation(), options);

        Assert.Same(options, inner.LastOptions);
        Assert.Equal("You are a pirate.", inner.LastMessages[0].Text);
        Assert.Null(response.AdditionalProperties);
        Assert.Empty(sink.Events);
    }

    [Fact]
    public async Task GetResponseAsync_SinkRefuses_TheCallStillSucceeds()
    {
        sink.Refuse = true;
        var logger = new ListLogger<ExperimentChatClient>();
        var inner = new FakeChatClient(time);
        var sut = new ExperimentChatClient(inner, Key, new StoreExperimentSnapshot(store, TimeSpan.FromSeconds(2), time), sink, timeProvider: time, logger: logger);

        var response = await sut.GetResponseAsync(Conversation(), For("user-1"));

        Assert.Equal("Hello, world", response.Text);
        Assert.Equal(2, logger.Entries.Count(e => e.Message.Contains("could not be written", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetResponseAsync_SinkRefusesEveryEvent_TenLoggedAMinuteAndTheRestToldInOneLine()
    {
        // Before: every refused event was logged with its exception, so a full upload queue during an outage wrote one stack
        // trace per event, thousands a second in a busy app.
        sink.Refuse = true;
        var logger = new ListLogger<ExperimentChatClient>();
        var sut = new ExperimentChatClient(new FakeChatClient(time), Key, new StoreExperimentSnapshot(store, TimeSpan.FromSeconds(2), time), sink, timeProvider: time, logger: logger);
        for (var i = 0; i < 25; i++)
        {
            await sut.GetResponseAsync(Conversation(), For($"user-{i}"));
        }

        sink.Refuse = false;
        await sut.GetResponseAsync(Conversation(), For("user-again"));

        Assert.Equal(10, logger.Entries.Count(e => e.Message.Contains("could not be written.", StringComparison.Ordinal)));
        Assert.Single(logger.Entries, e => e.Message.StartsWith("40 more events could not be written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetResponseAsync_SinkStillRefusingAMinuteLater_TheLastMinutesRestToldAndTenMoreLogged()
    {
        sink.Refuse = true;
        var logger = new ListLogger<ExperimentChatClient>();
        var sut = new ExperimentChatClient(new FakeChatClient(time), Key, new StoreExperimentSnapshot(store, TimeSpan.FromSeconds(2), time), sink, timeProvider: time, logger: logger);
        for (var i = 0; i < 8; i++)
        {
            await sut.GetResponseAsync(Conversation(), For($"user-{i}"));
        }

        time.Advance(TimeSpan.FromSeconds(61));
        await sut.GetResponseAsync(Conversation(), For("user-later"));

        Assert.Equal(12, logger.Entries.Count(e => e.Message.Contains("could not be written.", StringComparison.Ordinal)));
        Assert.Single(logger.Entries, e => e.Message.StartsWith("6 more events could not be written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetResponseAsync_VariantWithParams_TheyReachAdditionalPropertiesWithoutSim()
    {
        store.Put(Rollout.Start(Experiment.CreateDraft(ExperimentDefinitionJson.Parse("""
            { "key": "params-test", "control": "a",
              "variants": { "a": { "provider": "sim", "model": "m", "max_tokens": 256, "top_p": 0.9,
                                   "params": { "seed": 7, "reasoning_effort": "low", "ratio": 0.5, "sim": { "error_rate": 0.5 } } },
                            "b": { "provider": "sim", "model": "m", "max_tokens": 256, "top_p": 0.9,
                                   "params": { "seed": 7, "reasoning_effort": "low", "ratio": 0.5, "sim": { "error_rate": 0.5 } } } },
              "stages": [ { "weights": { "a": 50, "b": 50 } } ] }
            """), SeedExperiment.Epoch), SeedExperiment.Epoch, "test").Experiment);
        var inner = new FakeChatClient(time);
        var sut = new ExperimentChatClient(inner, "params-test", new StoreExperimentSnapshot(store, TimeSpan.FromSeconds(2), time), sink, timeProvider: time);

        await sut.GetResponseAsync(Conversation(), For("user-1"));

        var properties = inner.LastOptions!.AdditionalProperties!;
        Assert.Equal((7L, "low", 0.5), (properties["seed"], properties["reasoning_effort"], properties["ratio"]));
        Assert.False(properties.ContainsKey("sim"));
        Assert.Equal((256, 0.9f), (inner.LastOptions.MaxOutputTokens, inner.LastOptions.TopP));
    }

    [Fact]
    public async Task UnitSelector_Replaced_ReadsTheUnitFromElsewhere()
    {
        var (sut, _) = Create();
        sut.UnitSelector = o => o?.ConversationId;

        await sut.GetResponseAsync(Conversation(), new ChatOptions { ConversationId = "session-9" });

        Assert.All(sink.Events, e => Assert.Equal("session-9", e.Unit));
        Assert.NotEmpty(sink.Events);
    }

    private static List<ChatMessage> Conversation() => [new(ChatRole.System, "You are a pirate."), new(ChatRole.User, "Hi")];

    [Fact]
    public async Task GetResponseAsync_TargetedExperiment_AttributesFromOptionsDecideAndTheExposureKeepsTheOnesItReads()
    {
        var running = SeedExperiment.Running();
        store.Put(running with
        {
            Definition = running.Definition with
            {
                Targeting = Core.Targeting.TargetingJson.Parse("""{"all": [{"attribute": "plan", "in": ["pro"]}]}"""),
                Segments = ["country"],
            },
        });
        var (sut, _) = Create();
        ChatOptions With(string unit, Dictionary<string, object?> attributes) =>
            new() { AdditionalProperties = new() { [ExperimentChatClient.UnitPropertyName] = unit, [ExperimentChatClient.AttributesPropertyName] = attributes } };

        var free = await sut.GetResponseAsync(Conversation(), With("user-free", new() { ["plan"] = "free" }));
        var pro = await sut.GetResponseAsync(Conversation(), With("user-pro", new() { ["plan"] = "pro", ["country"] = "FR", ["seats"] = 3 }));
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => sut.GetResponseAsync(Conversation(), With("user-bad", new() { ["plan"] = new[] { "pro" } })));

        Assert.Equal("control", free.AdditionalProperties![ExperimentChatClient.VariantPropertyName]);
        Assert.DoesNotContain(sink.Events, e => e.Unit == "user-free");
        var exposure = Assert.Single(sink.Events, e => e.Type == EventType.Exposure);
        Assert.Equal(("user-pro", """{"plan":"pro","country":"FR"}"""), (exposure.Unit, exposure.Attributes));
        Assert.Equal(exposure.Variant, pro.AdditionalProperties![ExperimentChatClient.VariantPropertyName]);
        Assert.Contains("Attribute 'plan' must be a string, a number or a boolean", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, "Attribute 'seats' is NaN: a number must be finite")]
    [InlineData(double.PositiveInfinity, "Attribute 'seats' is Infinity: a number must be finite")]
    [InlineData(null, "Attribute 'seats' must be a string, a number or a boolean")]
    public async Task GetResponseAsync_AttributeNotAFiniteNumber_ArgumentExceptionNamingIt(double? number, string expected)
    {
        var (sut, _) = Create();
        object seats = number is { } n ? n : DateTime.UnixEpoch;
        var options = new ChatOptions { AdditionalProperties = new() { [ExperimentChatClient.UnitPropertyName] = "user-1", [ExperimentChatClient.AttributesPropertyName] = new Dictionary<string, object?> { ["seats"] = seats } } };

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => sut.GetResponseAsync(Conversation(), options));

        Assert.Contains(expected, bad.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Events);
    }

    [Fact]
    public async Task GetResponseAsync_RequestIdLongerThanTheServerTakes_ArgumentExceptionSayingTheBoundAndNoEvents()
    {
        var (sut, inner) = Create();
        var options = For(UnitOn("control"));
        options.AdditionalProperties![ExperimentChatClient.RequestIdPropertyName] = new string('r', EventLimits.MaxIdLength + 1);

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => sut.GetResponseAsync(Conversation(), options));

        Assert.Contains($"\"{ExperimentChatClient.RequestIdPropertyName}\"] is 257 characters", bad.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Events);
        Assert.Empty(inner.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_TenThousandAttributes_ArgumentExceptionSayingTheBound()
    {
        var (sut, _) = Create();
        var many = Enumerable.Range(0, 10_000).ToDictionary(i => $"a{i}", i => (object?)i);
        var options = new ChatOptions { AdditionalProperties = new() { [ExperimentChatClient.UnitPropertyName] = "user-1", [ExperimentChatClient.AttributesPropertyName] = many } };

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => sut.GetResponseAsync(Conversation(), options));

        Assert.Contains($"more than {Core.Targeting.UnitAttributes.MaxAttributes} attributes", bad.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Events);
    }

    private static ChatOptions For(string unit) => new() { AdditionalProperties = new() { [ExperimentChatClient.UnitPropertyName] = unit } };

    private static string UnitOn(string variant)
    {
        var assigner = new ExperimentAssigner(SeedExperiment.Running());
        return Enumerable.Range(0, 1000).Select(i => $"user-{i}").First(u => assigner.Assign(u).Variant.Name == variant);
    }

    private (ExperimentChatClient Sut, FakeChatClient Inner) Create(FakeChatClient? inner = null)
    {
        inner ??= new FakeChatClient(time);
        var snapshot = new StoreExperimentSnapshot(store, TimeSpan.FromSeconds(2), time);
        return (new ExperimentChatClient(inner, Key, snapshot, sink, new CostEstimator(PriceTable.BuiltIn), time), inner);
    }
}
