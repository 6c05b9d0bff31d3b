using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Core.Events;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Recording;

namespace Rampart.Llm.Middleware;

/// <summary>
/// A chat client middleware that runs one experiment: for each call it assigns the unit named in
/// <see cref="ChatOptions.AdditionalProperties"/>[<see cref="UnitPropertyName"/>], applies the variant (model, temperature,
/// top-p, max output tokens, system prompt, params), calls the inner client and writes an exposure and a completion event
/// (latency, time to first token when streaming, tokens, cost, error). A call without a unit gets the control and writes no
/// events; a failing inner client is recorded and its exception rethrown. A call its caller cancels, or whose stream the
/// caller stops reading, is recorded as the gateway records a client hanging up: a completion with the error
/// <see cref="CancelledCall.Error"/> and what had come so far, which counts as neither a request nor an error; the caller
/// still gets its <see cref="OperationCanceledException"/>. Each call writes one completion, whichever way it ends.
/// A successful call the experiment's judges sample goes to the judge backlog and is judged in the background (docs/judges.md):
/// the call never waits for its judges, and their failures are counted, never thrown.
/// </summary>
public sealed partial class ExperimentChatClient : DelegatingChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key holding the unit (a user or session id).</summary>
    public const string UnitPropertyName = "rampart.unit";

    /// <summary>The key, in options, of a request id chosen by the caller; on the response, of the request id feedback refers to.</summary>
    public const string RequestIdPropertyName = "rampart.request_id";

    /// <summary>
    /// The <see cref="ChatOptions.AdditionalProperties"/> key holding the unit's attributes for targeting and segments
    /// (docs/targeting.md): a <see cref="Core.Targeting.UnitAttributes"/>, or a dictionary of names to strings, numbers or booleans.
    /// </summary>
    public const string AttributesPropertyName = "rampart.attributes";

    /// <summary>The response's <see cref="ChatResponse.AdditionalProperties"/> key naming the experiment.</summary>
    public const string ExperimentPropertyName = "rampart.experiment";

    /// <summary>The response's <see cref="ChatResponse.AdditionalProperties"/> key naming the variant that served the call.</summary>
    public const string VariantPropertyName = "rampart.variant";

    private readonly IExperimentSnapshot snapshot;
    private readonly ExperimentCallRecorder recorder;
    private readonly CallEventWriter events;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly InProcessJudgeBacklog? ownedJudges;
    private int missingReported;

    /// <summary>Runs the experiment <paramref name="experimentKey"/> around <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that calls the model.</param>
    /// <param name="experimentKey">The experiment's key.</param>
    /// <param name="snapshot">Gives the experiment's assigner.</param>
    /// <param name="eventSink">Where the exposure, completion and judge feedback events go.</param>
    /// <param name="costEstimator">Prices the calls; null: the built-in prices.</param>
    /// <param name="timeProvider">Times the calls; null: the system clock.</param>
    /// <param name="logger">Logs assignments and failures.</param>
    /// <param name="judgeBacklog">
    /// Where calls the experiment's judges sample wait for them (docs/judges.md); null: an <see cref="InProcessJudgeBacklog"/>
    /// of this client's, writing verdicts to <paramref name="eventSink"/>, with the simulated provider only, disposed with the client.
    /// </param>
    public ExperimentChatClient(
        IChatClient innerClient,
        string experimentKey,
        IExperimentSnapshot snapshot,
        IEventSink eventSink,
        CostEstimator? costEstimator = null,
        TimeProvider? timeProvider = null,
        ILogger<ExperimentChatClient>? logger = null,
        IJudgeBacklog? judgeBacklog = null)
        : this(innerClient, experimentKey, snapshot, eventSink, costEstimator, timeProvider, logger, judgeBacklog, null)
    {
    }

    // ownedJudges: a backlog made for this client (by UseRampartExperiment from its services), disposed with it.
    internal ExperimentChatClient(
        IChatClient innerClient,
        string experimentKey,
        IExperimentSnapshot snapshot,
        IEventSink eventSink,
        CostEstimator? costEstimator,
        TimeProvider? timeProvider,
        ILogger<ExperimentChatClient>? logger,
        IJudgeBacklog? judgeBacklog,
        InProcessJudgeBacklog? ownedJudges)
        : base(innerClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentKey);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(eventSink);
        ExperimentKey = experimentKey;
        this.snapshot = snapshot;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<ExperimentChatClient>.Instance;
        var costs = costEstimator ?? new CostEstimator(PriceTable.BuiltIn);
        if (judgeBacklog is null)
        {
            this.ownedJudges = ownedJudges ?? new InProcessJudgeBacklog(eventSink, costs: costs, time: this.timeProvider, logger: this.logger);
            judgeBacklog = this.ownedJudges;
        }

        recorder = new ExperimentCallRecorder(costs, this.timeProvider, this.logger, judges: judgeBacklog);
        events = new CallEventWriter(eventSink, recorder, this.timeProvider, this.logger);
    }

    /// <summary>The experiment this client runs.</summary>
    public string ExperimentKey { get; }

    /// <summary>Finds a call's unit.</summary>
    /// <value>Default: the string in <see cref="ChatOptions.AdditionalProperties"/>[<see cref="UnitPropertyName"/>].</value>
    public Func<ChatOptions?, string?> UnitSelector { get; set; } = DefaultUnit;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = await BeginAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(call.Messages, call.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await events.CompleteAsync(call, Failure(e, cancellationToken), null, null, null, null).ConfigureAwait(false);
            throw;
        }

        call.Stamp(response.AdditionalProperties ??= []);
        await events.CompleteAsync(call, null, response.Usage, response.ModelId, StoredText.Of(response.Text, UpstreamLimits.DefaultMaxStoredOutputChars), null).ConfigureAwait(false);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = await BeginAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var stream = new StreamTally(timeProvider, call.Recorded.StartTimestamp);
        var updates = base.GetStreamingResponseAsync(call.Messages, call.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception e)
                {
                    await events.CompleteAsync(call, Failure(e, cancellationToken), stream.Usage, stream.Model, stream.Text, stream.TtftMs).ConfigureAwait(false);
                    throw;
                }

                if (stream.Observe(update))
                {
                    call.Stamp(update.AdditionalProperties ??= []);
                }

                yield return update;
            }

            await events.CompleteAsync(call, null, stream.Usage, stream.Model, stream.Text, stream.TtftMs).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                // Still open here only when the caller disposed this stream before its end (a break out of await foreach):
                // the caller left, as a client hanging up on the gateway does. Recorded before the inner stream is torn
                // down, so the latency is the time the caller stayed. The end and a failure were recorded above, and a
                // call completes once; after them the text so far (up to the stored length) is not built again for nothing.
                if (!call.IsCompleted)
                {
                    await events.CompleteAsync(call, CancelledCall.Error, stream.Usage, stream.Model, stream.Text, stream.TtftMs).ConfigureAwait(false);
                }
            }
            finally
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ownedJudges?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string? DefaultUnit(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(UnitPropertyName, out var unit) == true ? unit?.ToString() : null;

    // As the gateway judges a failure once its client has hung up: whatever the inner client threw after the caller
    // cancelled (its OperationCanceledException, or a connection torn down by it) came from the caller, not the variant.
    private static string Failure(Exception e, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? CancelledCall.Error : $"{e.GetType().Name}: {e.Message}";

    private async ValueTask<ExperimentCall?> BeginAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var assigner = await snapshot.GetAsync(ExperimentKey, cancellationToken).ConfigureAwait(false);
        if (assigner is null)
        {
            if (Interlocked.Exchange(ref missingReported, 1) == 0)
            {
                LogExperimentMissing(logger, ExperimentKey);
            }

            return null;
        }

        Volatile.Write(ref missingReported, 0);
        var unit = UnitSelector(options);
        var attributes = CallerOptions.Attributes(options);
        var assignment = assigner.Assign(string.IsNullOrEmpty(unit) ? null : unit, attributes);
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var (applied, appliedOptions) = VariantChatRequest.Apply(list, options, assignment.Variant.Config);
        var call = new ExperimentCall
        {
            Recorded = recorder.Begin(assigner.Experiment, assignment, unit, CallerOptions.RequestId(options)),
            CallerMessages = list,
            Messages = applied,
            Options = appliedOptions,
        };

        LogAssigned(logger, ExperimentKey, call.Variant, assignment.Reason, call.RequestId);
        if (call.Recorded.Records)
        {
            var exposure = recorder.Exposure(call.Recorded);
            var stored = assigner.StoredAttributes.Length > 0 ? attributes.ToJson(assigner.StoredAttributes) : null;
            await events.WriteAsync(stored is null ? exposure : exposure with { Attributes = stored }).ConfigureAwait(false);
        }

        return call;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment '{Experiment}' was not found; calls pass through unchanged and write no events until it exists.")]
    private static partial void LogExperimentMissing(ILogger logger, string experiment);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Experiment '{Experiment}' served variant '{Variant}' ({Reason}) for request {RequestId}.")]
    private static partial void LogAssigned(ILogger logger, string experiment, string variant, Core.Rollouts.AssignmentReason reason, string requestId);
}
