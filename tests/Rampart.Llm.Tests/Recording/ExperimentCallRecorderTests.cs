using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Recording;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Recording;

public sealed class ExperimentCallRecorderTests
{
    private const string Messages = """[{"role":"system","content":"Be <kind> & brief."},{"role":"user","content":"Où est ma commande ?"}]""";

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);

    [Fact]
    public void NewId_Unseeded_IsAVersion7GuidInItsLongForm()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time);

        var id = sut.NewId();

        Assert.True(Guid.TryParseExact(id, "D", out var guid));
        Assert.Equal(7, guid.Version);
        Assert.NotEqual(id, sut.NewId());
    }

    [Fact]
    public void NewId_SameSeedAndClock_SameVersion7IdsInTimeOrder()
    {
        var first = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time, seed: 42);
        var second = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time, seed: 42);

        var ids = new[] { first.NewId(), first.NewId() };

        Assert.Equal(ids, new[] { second.NewId(), second.NewId() });
        Assert.NotEqual(ids[0], ids[1]);
        Assert.All(ids, id => Assert.True(Guid.TryParseExact(id, "D", out var guid) && guid.Version == 7 && (guid.Variant & 0xC) == 0x8, id));
        Assert.StartsWith(Guid.CreateVersion7(SeedExperiment.Epoch).ToString()[..13], ids[0], StringComparison.Ordinal);
    }

    [Fact]
    public void NewId_SeedAndClock_TheSameIdsAsEver()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time, seed: 42);

        var ids = new[] { sut.NewId(), sut.NewId() };

        // Simulations replay from these: a change here changes every recorded simulation.
        Assert.Equal(["01a1968d-3900-729f-a8ef-e333b266f103", "01a1968d-3900-74e3-8752-6757130f9f52"], ids);
    }

    [Fact]
    public void Completion_JsonOrChatMessages_LogTheSameInputArray()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time);
        var call = Begin(sut, SeedExperiment.Running());
        var result = new ChatCallResult(200, null, 120, 80, Model: "gpt-4", Output: "Hello");

        var fromJson = sut.Completion(call, result, "gpt-4", JsonNode.Parse(Messages));
        var fromChat = sut.Completion(call, result, "gpt-4", [new ChatMessage(ChatRole.System, "Be <kind> & brief."), new ChatMessage(ChatRole.User, "Où est ma commande ?")]);

        Assert.Equal(fromJson.Input, fromChat.Input);
        Assert.Equal(JsonNode.Parse(Messages)!.ToJsonString(), fromChat.Input);
        Assert.Equal("Hello", fromChat.Output);
    }

    [Fact]
    public void Completion_LoggingNone_NoInputOrOutput()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time);
        var experiment = Rollout.Start(Experiment.CreateDraft(SeedExperiment.Definition() with { Logging = ContentLogging.None }, SeedExperiment.Epoch), SeedExperiment.Epoch, "test").Experiment;

        var completion = sut.Completion(Begin(sut, experiment), new ChatCallResult(200, null, Output: "Hello"), "gpt-4", JsonNode.Parse(Messages));

        Assert.Equal(((string?)null, (string?)null), (completion.Input, completion.Output));
    }

    [Fact]
    public void Completion_LoggingNoneWithAJudge_TheJudgeStillGetsTheTextInMemory()
    {
        var backlog = new ListBacklog();
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time, judges: backlog);
        var judge = new JudgeDefinition("helpfulness", "sim", "judge-sim", SampleRate: 1);
        var definition = SeedExperiment.Definition() with { Logging = ContentLogging.None, Judges = [judge] };
        var experiment = Rollout.Start(Experiment.CreateDraft(definition, SeedExperiment.Epoch), SeedExperiment.Epoch, "test").Experiment;
        var call = Begin(sut, experiment);

        var completion = sut.Completion(call, new ChatCallResult(200, null, Output: "Hello", SimulatedQuality: 0.7), "gpt-4", JsonNode.Parse(Messages));

        Assert.Null(completion.Input);
        var work = Assert.Single(backlog.Work);
        Assert.Equal((call.RequestId, call.Variant, "user-1", "Hello", (double?)0.7, judge), (work.RequestId, work.Variant, work.Unit, work.Output, work.SimulatedQuality, work.Judge));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Messages), JsonNode.Parse(work.InputJson!)));
    }

    [Fact]
    public void Completion_FailedCallWithAJudge_NotOffered()
    {
        var backlog = new ListBacklog();
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time, judges: backlog);
        var definition = SeedExperiment.Definition() with { Judges = [new JudgeDefinition("helpfulness", "sim", "judge-sim", SampleRate: 1)] };
        var experiment = Rollout.Start(Experiment.CreateDraft(definition, SeedExperiment.Epoch), SeedExperiment.Epoch, "test").Experiment;

        sut.Completion(Begin(sut, experiment), new ChatCallResult(500, "simulated failure"), "gpt-4", JsonNode.Parse(Messages));

        Assert.Empty(backlog.Work);
    }

    [Fact]
    public void Completion_Success_TimesPricesAndNamesTheCallAsItsExposureDoes()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time);
        var call = Begin(sut, SeedExperiment.Running());
        time.Advance(TimeSpan.FromMilliseconds(1234.5));

        var exposure = sut.Exposure(call);
        var completion = sut.Completion(call, new ChatCallResult(200, null, 120, 80, TtftMs: 310), "gpt-4", JsonNode.Parse(Messages));

        Assert.Equal((EventType.Exposure, SeedExperiment.Epoch, call.RequestId, 0), (exposure.Type, exposure.Ts, exposure.RequestId, exposure.Stage!.Value));
        Assert.Equal((EventType.Completion, SeedExperiment.Epoch.AddMilliseconds(1234.5), call.RequestId), (completion.Type, completion.Ts, completion.RequestId));
        Assert.Equal((1234.5, 310.0, 120L, 80L, 0.0084, "gpt-4"), (completion.LatencyMs!.Value, completion.TtftMs!.Value, completion.PromptTokens!.Value, completion.CompletionTokens!.Value, completion.CostUsd!.Value, completion.Model));
        Assert.Null(completion.Error);
        Assert.NotEqual(exposure.Id, completion.Id);
    }

    [Fact]
    public void Completion_SimulatedLatency_IsTheLatency()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time);
        var call = Begin(sut, SeedExperiment.Running());
        time.Advance(TimeSpan.FromSeconds(5));

        var completion = sut.Completion(call, new ChatCallResult(200, null, SimulatedLatencyMs: 800), "gpt-4", (JsonNode?)null);

        Assert.Equal(800, completion.LatencyMs);
    }

    [Fact]
    public void Completion_Failed_ErrorKeptAndNoCost()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time);
        var call = Begin(sut, SeedExperiment.Running());

        var failed = sut.Completion(call, new ChatCallResult(500, "simulated failure", 120, 80), "gpt-4", (JsonNode?)null);
        var bare = sut.Completion(call, new ChatCallResult(503, null), "gpt-4", (JsonNode?)null);

        Assert.Equal(("simulated failure", (double?)null, 120L), (failed.Error, failed.CostUsd, failed.PromptTokens!.Value));
        Assert.Equal("HTTP 503", bare.Error);
    }

    [Fact]
    public void Completion_UsageOutOfRange_StoredNullReportedAndLogged()
    {
        var logger = new ListLogger<ExperimentCallRecorder>();
        var rejected = new List<string>();
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time, logger, rejected.Add);

        var completion = sut.Completion(Begin(sut, SeedExperiment.Running()), new ChatCallResult(200, null, long.MaxValue, 80), "gpt-4", (JsonNode?)null);

        Assert.Equal(((long?)null, (long?)80, (double?)null), (completion.PromptTokens, completion.CompletionTokens, completion.CostUsd));
        Assert.Contains("prompt_tokens", rejected);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("'prompt_tokens'", StringComparison.Ordinal));
    }

    [Fact]
    public void Begin_CallerRequestIdOrNone_UsedOrMade()
    {
        var sut = new ExperimentCallRecorder(new CostEstimator(PriceTable.BuiltIn), time);
        var experiment = SeedExperiment.Running();
        var assignment = new ExperimentAssigner(experiment).Assign("user-1");

        Assert.Equal("r-1", sut.Begin(experiment, assignment, "user-1", "r-1").RequestId);
        Assert.Equal(36, sut.Begin(experiment, assignment, "user-1", "").RequestId.Length);
        Assert.False(sut.Begin(experiment, new ExperimentAssigner(experiment).Assign(null), null).Records);
    }

    private sealed class ListBacklog : IJudgeBacklog
    {
        public List<JudgeWork> Work { get; } = [];

        public bool TryEnqueue(JudgeWork work)
        {
            Work.Add(work);
            return true;
        }
    }

    private static RecordedCall Begin(ExperimentCallRecorder sut, Experiment experiment) =>
        sut.Begin(experiment, new ExperimentAssigner(experiment).Assign("user-1"), "user-1");
}
