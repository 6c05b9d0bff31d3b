using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;
using Rampart.Llm.Shadowing;

namespace Rampart.Llm.Recording;

/// <summary>
/// Records an experiment call the same way wherever it is made (the gateway, the in-process middleware, the rollout
/// simulation): request and event ids as version-7 GUIDs, the exposure event, and the completion event with latency, time
/// to first token, tokens, cost (a failed call's is null), error, model and, when the experiment's <c>logging.content</c>
/// is <c>full</c>, the input messages as a JSON array and the output text (docs/api.md, docs/middleware.md). Out-of-range
/// usage is stored as null and logged. Each successful call is offered to the experiment's judges (docs/judges.md): the ones
/// that sample it go to the <see cref="IJudgeBacklog"/>, with the messages and answer in memory whatever <c>logging.content</c>
/// says. Thread-safe.
/// </summary>
public sealed partial class ExperimentCallRecorder
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private readonly CostEstimator costs;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Action<string>? usageRejected;
    private readonly ulong? seed;
    private readonly IJudgeBacklog? judges;
    private readonly bool shadows;
    private long issued;

    /// <summary>Records calls priced by <paramref name="costs"/> on the clock <paramref name="time"/>.</summary>
    /// <param name="costs">Prices completions.</param>
    /// <param name="time">Times calls and stamps events.</param>
    /// <param name="logger">Logs usage stored as null for being out of range.</param>
    /// <param name="usageRejected">Told the field name of each such usage figure (a metric), or null.</param>
    /// <param name="seed">Null for random ids; a seed for ids that replay exactly with the clock (simulations).</param>
    /// <param name="judges">Where sampled successful calls wait for their judges; null judges nothing.</param>
    /// <param name="shadows">
    /// True when the caller makes the shadow calls of a shadow stage (docs/shadow.md, the gateway): <see cref="Begin"/> then
    /// decides which shadow variants sample each served call (<see cref="RecordedCall.Shadows"/>), and a sampled call's
    /// completion gets its <c>pair_id</c> and is judged by every judge.
    /// </param>
    public ExperimentCallRecorder(
        CostEstimator costs, TimeProvider time, ILogger? logger = null, Action<string>? usageRejected = null, ulong? seed = null, IJudgeBacklog? judges = null, bool shadows = false)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(time);
        this.costs = costs;
        this.time = time;
        this.logger = logger ?? NullLogger<ExperimentCallRecorder>.Instance;
        this.usageRejected = usageRejected;
        this.seed = seed;
        this.judges = judges;
        this.shadows = shadows;
    }

    /// <summary>A new request or event id: a version-7 GUID (time-ordered) in its 36-character form.</summary>
    public string NewId()
    {
        var now = time.GetUtcNow();
        if (seed is not { } s)
        {
            return TimeOrderedId.New(now);
        }

        var random = new SplitMix64(s + ((ulong)Interlocked.Increment(ref issued) * Golden));
        Span<byte> bytes = stackalloc byte[10];
        BinaryPrimitives.WriteUInt64BigEndian(bytes[2..], random.NextUInt64());
        // The second draw fills the two bytes before, low byte first: the order the ids have always had.
        var second = random.NextUInt64();
        bytes[0] = (byte)second;
        bytes[1] = (byte)(second >> 8);
        return TimeOrderedId.NewGuid(now, bytes).ToString();
    }

    /// <summary>Starts a call of <paramref name="experiment"/>: its request id (<paramref name="requestId"/> when the caller chose one), time and start.</summary>
    public RecordedCall Begin(Experiment experiment, Assignment assignment, string? unit, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var call = new RecordedCall(
            experiment.Key, assignment, unit, string.IsNullOrEmpty(requestId) ? NewId() : requestId, time.GetUtcNow(), time.GetTimestamp(),
            experiment.Definition.Logging == ContentLogging.Full, experiment.Definition.Judges);
        return shadows && call.Records ? call with { Shadows = ShadowsOf(experiment, call) } : call;
    }

    /// <summary>
    /// Starts the shadow call of <paramref name="variant"/> on the served call <paramref name="served"/> (docs/shadow.md): its
    /// own request id, the served call's unit and stage, and <see cref="RecordedCall.ShadowOf"/> the served request id.
    /// </summary>
    public RecordedCall BeginShadow(Experiment experiment, in RecordedCall served, Variant variant)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(variant);
        return new RecordedCall(
            experiment.Key, served.Assignment with { Variant = variant }, served.Unit, NewId(), time.GetUtcNow(), time.GetTimestamp(),
            experiment.Definition.Logging == ContentLogging.Full, experiment.Definition.Judges)
        { ShadowOf = served.RequestId };
    }

    /// <summary>The call's exposure event.</summary>
    public ExperimentEvent Exposure(in RecordedCall call) => new()
    {
        Type = EventType.Exposure,
        Experiment = call.Experiment,
        Variant = call.Variant,
        Unit = call.Unit ?? "",
        Ts = call.Ts,
        Id = NewId(),
        Stage = call.Assignment.Stage,
        RequestId = call.RequestId,
    };

    /// <summary>The call's latency in milliseconds: the simulated provider's drawn one when it reports it, else the time since <see cref="Begin"/>.</summary>
    public double LatencyMs(in RecordedCall call, ChatCallResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.SimulatedLatencyMs ?? time.GetElapsedTime(call.StartTimestamp).TotalMilliseconds;
    }

    /// <summary>The completion of a call whose caller sent <paramref name="messages"/> (an OpenAI <c>messages</c> array, logged as it came).</summary>
    /// <param name="call">The call, as begun.</param>
    /// <param name="result">What the call did.</param>
    /// <param name="variantModel">The model named when the answer names none (the variant's).</param>
    /// <param name="messages">The caller's messages.</param>
    public ExperimentEvent Completion(in RecordedCall call, ChatCallResult result, string? variantModel, JsonNode? messages)
    {
        ArgumentNullException.ThrowIfNull(result);
        var judged = Judged(call, result);
        var json = call.LogsContent || judged != 0 ? messages?.ToJsonString() : null;
        return Completion(call, result, variantModel, json, judged);
    }

    /// <summary>The completion of a call whose caller sent <paramref name="messages"/>, logged in the OpenAI form: <c>[{"role":…,"content":…}]</c>.</summary>
    /// <param name="call">The call, as begun.</param>
    /// <param name="result">What the call did.</param>
    /// <param name="variantModel">The model named when the answer names none (the variant's).</param>
    /// <param name="messages">The caller's messages.</param>
    public ExperimentEvent Completion(in RecordedCall call, ChatCallResult result, string? variantModel, IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(result);
        var judged = Judged(call, result);
        var json = call.LogsContent || judged != 0 ? Messages(messages).ToJsonString() : null;
        return Completion(call, result, variantModel, json, judged);
    }

    /// <summary>The messages as an OpenAI <c>messages</c> array: each one's role and text.</summary>
    public static JsonArray Messages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var array = new JsonArray();
        foreach (var message in messages)
        {
            array.Add(new JsonObject { ["role"] = message.Role.Value, ["content"] = message.Text });
        }

        return array;
    }

    private ExperimentEvent Completion(in RecordedCall call, ChatCallResult result, string? variantModel, string? messagesJson, uint judged)
    {
        var input = call.LogsContent ? messagesJson : null;
        var model = result.Model ?? variantModel;
        var completion = new ExperimentEvent
        {
            Type = EventType.Completion,
            Experiment = call.Experiment,
            Variant = call.Variant,
            Unit = call.Unit ?? "",
            Ts = time.GetUtcNow(),
            Id = NewId(),
            Stage = call.Assignment.Stage,
            RequestId = call.RequestId,
            LatencyMs = LatencyMs(call, result),
            TtftMs = result.TtftMs,
            PromptTokens = result.PromptTokens,
            CompletionTokens = result.CompletionTokens,
            CostUsd = result.Error is null ? costs.CostUsd(model, result.PromptTokens, result.CompletionTokens) : null,
            Error = result.Error ?? (result.StatusCode >= 400 ? $"HTTP {result.StatusCode}" : null),
            Model = model,
            Input = input,
            Output = call.LogsContent ? result.Output : null,
            Shadow = call.ShadowOf is not null,
            PairId = call.PairId,
        };

        if (judged != 0)
        {
            OfferToJudges(call, result, messagesJson, completion.Ts, judged);
        }

        foreach (var (field, json) in result.UnusableUsage ?? [])
        {
            usageRejected?.Invoke(field);
            LogUsageRejected(logger, field, completion.RequestId, completion.Experiment, completion.Variant, json);
        }

        var bounded = EventNumberRules.WithoutInvalidUsage(completion);
        if (!ReferenceEquals(bounded, completion))
        {
            Rejected(completion, "prompt_tokens", completion.PromptTokens, bounded.PromptTokens);
            Rejected(completion, "completion_tokens", completion.CompletionTokens, bounded.CompletionTokens);
            Rejected(completion, "ttft_ms", completion.TtftMs, bounded.TtftMs);
            Rejected(completion, "cost_usd", completion.CostUsd, bounded.CostUsd);
        }

        return bounded;
    }

    // The judges that sample this successful call, one bit each by position (an experiment has at most 8): each judge's
    // hash is computed once per call, and the messages are serialised for the judges only when one samples it.
    private uint Judged(in RecordedCall call, ChatCallResult result)
    {
        if (judges is null || call.Judges.IsDefaultOrEmpty || !call.Records || result.Error is not null || result.StatusCode >= 400 || result.Output is null)
        {
            return 0;
        }

        // A shadowed request's served answer and its shadow answers are judged by every judge, so their scores pair up.
        var paired = call.PairId is not null;
        var sampled = 0u;
        for (var i = 0; i < call.Judges.Length && i < 32; i++)
        {
            if (paired || JudgeSampler.Sampled(call.RequestId, call.Judges[i]))
            {
                sampled |= 1u << i;
            }
        }

        return sampled;
    }

    /// <summary>
    /// Offers a shadow call's successful answer to every judge for its pairwise preference against the served answer
    /// (docs/shadow.md), off the request path like any judgement; nothing when there are no judges or either answer failed.
    /// </summary>
    /// <param name="call">The shadow call (<see cref="BeginShadow"/>).</param>
    /// <param name="result">What it answered.</param>
    /// <param name="messages">The caller's messages, as an OpenAI <c>messages</c> array.</param>
    /// <param name="servedOutput">The served answer's text.</param>
    /// <param name="servedQuality">The served answer's simulated quality, or null.</param>
    public void OfferPreference(in RecordedCall call, ChatCallResult result, JsonNode? messages, string? servedOutput, double? servedQuality)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (judges is null || call.ShadowOf is null || call.Judges.IsDefaultOrEmpty || servedOutput is null
            || result.Error is not null || result.StatusCode >= 400 || result.Output is null)
        {
            return;
        }

        var json = messages?.ToJsonString();
        foreach (var judge in call.Judges)
        {
            judges.TryEnqueue(new JudgeWork(call.Experiment, call.Variant, call.Unit!, call.RequestId, call.Assignment.Stage, json, result.Output, result.SimulatedQuality, judge, time.GetUtcNow())
            {
                Shadow = true,
                PairId = call.PairId,
                Against = servedOutput,
                AgainstQuality = servedQuality,
            });
        }
    }

    private void OfferToJudges(in RecordedCall call, ChatCallResult result, string? messagesJson, DateTimeOffset ts, uint sampled)
    {
        for (var i = 0; i < call.Judges.Length && i < 32; i++)
        {
            if ((sampled & (1u << i)) != 0)
            {
                judges!.TryEnqueue(new JudgeWork(
                    call.Experiment, call.Variant, call.Unit!, call.RequestId, call.Assignment.Stage, messagesJson, result.Output!, result.SimulatedQuality, call.Judges[i], ts)
                {
                    Shadow = call.ShadowOf is not null,
                    PairId = call.PairId,
                });
            }
        }
    }

    // The shadow variants of the experiment's current shadow stage, not rolled back, that sample this call: each hash once per call.
    private static uint ShadowsOf(Experiment experiment, in RecordedCall call)
    {
        var stages = experiment.Definition.Stages;
        if (experiment.Stage < 0 || experiment.Stage >= stages.Length || stages[experiment.Stage].Shadow is not { } shadow)
        {
            return 0;
        }

        var sampled = 0u;
        for (var i = 0; i < shadow.Variants.Length && i < 32; i++)
        {
            var variant = shadow.Variants[i];
            if (!experiment.IsRolledBack(variant) && ShadowSampler.Sampled(call.RequestId, variant, shadow))
            {
                sampled |= 1u << i;
            }
        }

        return sampled;
    }

    private void Rejected(ExperimentEvent completion, string field, double? reported, double? stored)
    {
        if (reported is { } value && stored is null)
        {
            usageRejected?.Invoke(field);
            LogUsageRejected(logger, field, completion.RequestId, completion.Experiment, completion.Variant, EventNumberRules.Format(value));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reported '{Field}' of call {RequestId} ({Experiment}/{Variant}) is out of range ({Value}); the completion is stored with it null.")]
    private static partial void LogUsageRejected(ILogger logger, string field, string? requestId, string experiment, string variant, string value);
}
