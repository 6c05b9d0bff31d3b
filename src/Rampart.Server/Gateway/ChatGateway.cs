using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Core.Targeting;
using Rampart.Llm.Providers;
using Rampart.Llm.Recording;
using Rampart.Llm.Shadowing;
using Rampart.Llm.Variants;
using Rampart.Server.Configuration;
using Rampart.Server.Events;
using Rampart.Server.Experiments;
using Rampart.Server.Http;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Gateway;

/// <summary>
/// One OpenAI-compatible chat completion through the gateway (docs/api.md): find the experiment and unit, assign from the
/// in-memory snapshot, apply the variant, forward to its provider, stream the answer back with the Rampart headers, and
/// hand an exposure and a completion event (failed calls included) to the writer without delaying the answer; a draft or
/// paused experiment's call is answered and marked, and records nothing. In a shadow stage, once the answer is written,
/// each shadow variant that sampled the call is queued for its call off the request path (docs/shadow.md).
/// </summary>
internal sealed partial class ChatGateway(
    ExperimentSnapshots snapshots,
    ProviderRegistry providers,
    ExperimentCallRecorder recorder,
    EventQueue queue,
    ShadowBacklog shadows,
    ServerMetrics metrics,
    TimeProvider time,
    IOptions<ServerOptions> server,
    IOptions<EventOptions> events,
    IOptions<GatewayOptions> gateway,
    ILogger<ChatGateway> logger)
{
    private const int EventsPerCall = 2;
    private const string ReservedItem = "rampart.reserved";
    private static readonly ActivitySource Source = new(RampartTelemetry.ActivitySourceName);

    public async Task HandleAsync(HttpContext context)
    {
        var request = await ReadAsync(context);
        if (request.Error is { } error)
        {
            await error.ExecuteAsync(context);
            return;
        }

        var (body, key, unit) = (request.Body!, request.Experiment, request.Unit);
        if (key is null)
        {
            await PassThroughAsync(context, body);
            return;
        }

        if (string.IsNullOrEmpty(unit))
        {
            await OpenAiErrors.Result(400, $"'user' is required for experiment '{key}': send the unit (a user or session id) as the body's 'user' or the '{GatewayHeaders.Unit}' header.",
                "invalid_request_error", "missing_unit", "user").ExecuteAsync(context);
            return;
        }

        var assigner = await snapshots.FindAsync(key, context.RequestAborted);
        if (assigner is null)
        {
            await OpenAiErrors.Result(404, $"'model': experiment '{key}' does not exist; GET /api/experiments lists them.",
                "invalid_request_error", "experiment_not_found", "model").ExecuteAsync(context);
            return;
        }

        // Only a unit hashed into the experiment is its traffic (as in the in-process middleware): a draft or paused
        // experiment serves the control, marked by X-Rampart-Assignment, and records nothing its analysis would count.
        var call = recorder.Begin(assigner.Experiment, assigner.Assign(unit, request.Attributes), unit);
        var records = call.Records;
        if (records && !queue.TryReserve(EventsPerCall))
        {
            context.Response.Headers.RetryAfter = events.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await (queue.IsRefusing
                ? OpenAiErrors.Result(503, "Events cannot be recorded now (the event store fails and the local journal is full), so the call was not made; retry shortly.", "server_error", "events_unavailable")
                : OpenAiErrors.Result(503, "The server's event queue is full; retry shortly.", "server_error", "queue_full")).ExecuteAsync(context);
            return;
        }

        if (records)
        {
            context.Items[ReservedItem] = true;
        }

        try
        {
            // The attributes the experiment reads go on the exposure (docs/targeting.md).
            var attributes = records && assigner.StoredAttributes.Length > 0 ? request.Attributes.ToJson(assigner.StoredAttributes) : null;
            var served = await ServeAsync(context, body, assigner.Experiment, call, attributes);
            if (call.Shadows != 0 && !context.RequestAborted.IsCancellationRequested)
            {
                Shadow(assigner.Experiment, call, request.Raw!, served);
            }
        }
        finally
        {
            // Normally ServeAsync hands both events over; release only what an unexpected failure left reserved.
            if (context.Items.Remove(ReservedItem))
            {
                queue.Release(EventsPerCall);
            }
        }
    }

    private async Task<ChatCallResult> ServeAsync(HttpContext context, JsonObject body, Experiment experiment, RecordedCall call, string? attributes)
    {
        var variant = call.Assignment.Variant;
        var requestId = call.RequestId;
        var headers = context.Response.Headers;
        headers[GatewayHeaders.Experiment] = experiment.Key;
        headers[GatewayHeaders.Variant] = variant.Name;
        headers[GatewayHeaders.Assignment] = ReasonNames[(int)call.Assignment.Reason];
        headers[GatewayHeaders.RequestId] = requestId;

        using var activity = Source.StartActivity($"{RampartTelemetry.ChatOperation} {variant.Config.Model}", ActivityKind.Client);
        activity?.SetTag(RampartTelemetry.OperationName, RampartTelemetry.ChatOperation);
        activity?.SetTag(RampartTelemetry.ProviderName, variant.Config.Provider);
        activity?.SetTag(RampartTelemetry.RequestModel, variant.Config.Model);
        activity?.SetTag(RampartTelemetry.Experiment, experiment.Key);
        activity?.SetTag(RampartTelemetry.Variant, variant.Name);
        activity?.SetTag(RampartTelemetry.RequestId, requestId);

        ChatCallResult result;
        if (!providers.TryGet(variant.Config.Provider, out var provider))
        {
            result = new ChatCallResult(502, $"Provider '{variant.Config.Provider}' of variant '{variant.Name}' is not configured; add it to the configuration's providers.");
            await OpenAiErrors.Result(result.StatusCode, result.Error!, OpenAiErrors.TypeOf(result.StatusCode), "provider_not_configured").ExecuteAsync(context);
        }
        else
        {
            var chatCall = VariantRequest.CreateCall(body, variant.Config, provider.Timeout, Seed(requestId), requestId);
            result = await SendAsync(context, provider, chatCall);
        }

        // The latency is measured once: the completion's when the call records, so metrics and events agree.
        double latencyMs;
        if (call.Records)
        {
            // Handed over into the room reserved for them.
            var completion = recorder.Completion(call, result, variant.Config.Model, body["messages"]);
            var exposure = recorder.Exposure(call);
            queue.EnqueueReserved(new EventBatch([attributes is null ? exposure : exposure with { Attributes = attributes }, completion], EventSource.Gateway, awaitsCommit: false));
            context.Items.Remove(ReservedItem);
            latencyMs = completion.LatencyMs ?? recorder.LatencyMs(call, result);
        }
        else
        {
            latencyMs = recorder.LatencyMs(call, result);
        }

        var model = result.Model ?? variant.Config.Model;

        metrics.ChatCall(experiment.Key, variant.Name, variant.Config.Provider, variant.Config.Model, latencyMs / 1000, result.StatusCode, result.PromptTokens, result.CompletionTokens);
        activity?.SetTag(RampartTelemetry.ResponseModel, model);
        activity?.SetTag(RampartTelemetry.UsageInputTokens, result.PromptTokens);
        activity?.SetTag(RampartTelemetry.UsageOutputTokens, result.CompletionTokens);
        if (result.Error is not null)
        {
            activity?.SetTag(RampartTelemetry.ErrorType, result.StatusCode.ToString(CultureInfo.InvariantCulture));
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }

        return result;
    }

    // The answer is complete and on its way: each sampled shadow variant waits for a worker, off the request path.
    // The served answer goes with each shadow call, for the judges' pairwise preference (docs/shadow.md).
    private void Shadow(Experiment experiment, in RecordedCall call, byte[] raw, ChatCallResult served)
    {
        if (experiment.Definition.Stages[experiment.Stage].Shadow is not { } shadow)
        {
            return;
        }

        for (var i = 0; i < shadow.Variants.Length && i < 32; i++)
        {
            if ((call.Shadows & (1u << i)) != 0 && experiment.Definition.IndexOf(shadow.Variants[i]) is var index and >= 0)
            {
                shadows.TryEnqueue(new ShadowWork(experiment, shadow, call, experiment.Definition.Variants[index], raw)
                {
                    ServedOutput = served.Error is null && served.StatusCode < 400 ? served.Output : null,
                    ServedQuality = served.SimulatedQuality,
                });
            }
        }
    }

    private async Task PassThroughAsync(HttpContext context, JsonObject body)
    {
        var name = gateway.Value.DefaultProvider;
        var requestId = recorder.NewId();
        context.Response.Headers[GatewayHeaders.RequestId] = requestId;
        if (!providers.TryGet(name, out var provider))
        {
            await OpenAiErrors.Result(502, $"The default provider '{name}' is not configured (gateway.default_provider).", "server_error", "provider_not_configured").ExecuteAsync(context);
            return;
        }

        var model = body["model"]?.GetValue<string>();
        using var activity = Source.StartActivity($"{RampartTelemetry.ChatOperation} {model}", ActivityKind.Client);
        activity?.SetTag(RampartTelemetry.OperationName, RampartTelemetry.ChatOperation);
        activity?.SetTag(RampartTelemetry.ProviderName, name);
        activity?.SetTag(RampartTelemetry.RequestModel, model);
        var started = time.GetTimestamp();
        var stream = body["stream"] is JsonValue value && value.GetValueKind() == JsonValueKind.True;
        var result = await SendAsync(context, provider, new ChatCall(body, stream, provider.Timeout, Seed(requestId)));
        var latencyMs = result.SimulatedLatencyMs ?? time.GetElapsedTime(started).TotalMilliseconds;
        metrics.ChatCall(null, null, name, model, latencyMs / 1000, result.StatusCode, result.PromptTokens, result.CompletionTokens);
    }

    private async Task<ChatCallResult> SendAsync(HttpContext context, RegisteredProvider provider, ChatCall call)
    {
        var writer = new HttpChatResponseWriter(context.Response);
        ChatCallResult result;
        try
        {
            result = await provider.Provider.SendAsync(call, writer, context.RequestAborted);
        }
        catch (CallCancelledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            return AsCancelled(e.Partial);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            return Cancelled;
        }
#pragma warning disable CA1031 // Providers report upstream failures as results; anything else still answers, and is logged as a failed call.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogProviderFailed(logger, provider.Name, e);
            result = new ChatCallResult(502, $"Provider '{provider.Name}' failed.");
        }

        if (result.Error is not null && context.RequestAborted.IsCancellationRequested)
        {
            return AsCancelled(result); // The failure came from the client hanging up, not from the variant.
        }

        if (!writer.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var status = result.StatusCode is >= 400 and <= 599 ? result.StatusCode : 502;
            var message = result.Error ?? $"Provider '{provider.Name}' gave no answer.";
            var code = result.ErrorCode ?? status switch { 504 => "upstream_timeout", 502 => "upstream_unreachable", _ => "upstream_error" };
            if (result.Detail is not null)
            {
                // The caller gets the gist and the request id; the address or variable name goes to the log only.
                var requestId = context.Response.Headers[GatewayHeaders.RequestId].ToString();
                LogCallFailed(logger, requestId, provider.Name, status, result.Detail);
                message = $"{message} The server log has the detail under request id {requestId}.";
            }

            await OpenAiErrors.Result(status, message, OpenAiErrors.TypeOf(status), code).ExecuteAsync(context);
            if (result.Error is null)
            {
                result = result with { StatusCode = status, Error = message };
            }
        }

        return result;
    }

    private async Task<GatewayRequest> ReadAsync(HttpContext context)
    {
        var max = server.Value.MaxBodyBytes;
        var raw = await RequestBody.ReadAsync(context.Request, max, context.RequestAborted);
        if (raw is null)
        {
            return GatewayRequest.Fail(OpenAiErrors.Result(413, $"The body is over {max} bytes (server.max_body_bytes).", "invalid_request_error", "request_too_large"));
        }

        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            return GatewayRequest.Fail(OpenAiErrors.Result(400, "The body is not valid UTF-8.", "invalid_request_error", "invalid_json"));
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(raw, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject;
        }
        catch (JsonException e)
        {
            return GatewayRequest.Fail(OpenAiErrors.Result(400, $"The body is not valid UTF-8 JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).", "invalid_request_error", "invalid_json"));
        }

        if (body is null)
        {
            return GatewayRequest.Fail(OpenAiErrors.Result(400, "The body must be a JSON object.", "invalid_request_error", "invalid_json"));
        }

        if (JsonInput.Problem(body, "body") is { } unusable)
        {
            return GatewayRequest.Fail(OpenAiErrors.Result(400, unusable.Message, "invalid_request_error", "invalid_json", unusable.Field));
        }

        if (Problem(body) is { } problem)
        {
            return GatewayRequest.Fail(OpenAiErrors.Result(400, problem.Message, "invalid_request_error", "invalid_value", problem.Param));
        }

        var model = body["model"]?.GetValue<string>();
        string? key = null;
        if (model is not null && model.StartsWith(GatewayHeaders.ModelPrefix, StringComparison.Ordinal))
        {
            key = model[GatewayHeaders.ModelPrefix.Length..];
        }
        else if (context.Request.Headers[GatewayHeaders.Experiment].ToString() is { Length: > 0 } header)
        {
            key = header;
        }

        var unit = body["user"]?.GetValue<string>();
        if (string.IsNullOrEmpty(unit))
        {
            unit = context.Request.Headers[GatewayHeaders.Unit].ToString();
        }

        var (attributes, invalid) = Attributes(body, context.Request.Headers[GatewayHeaders.Attributes].ToString());
        return invalid is { } bad
            ? GatewayRequest.Fail(OpenAiErrors.Result(400, bad.Message, "invalid_request_error", "invalid_value", bad.Param))
            : new GatewayRequest(body, key, unit, null, raw) { Attributes = attributes };
    }

    // The body's metadata (OpenAI's field) and the X-Rampart-Attributes header (a JSON object; its names win), as one set.
    // The metadata is read from the parsed body as it stands (JsonInput has already refused lone surrogates and names
    // given twice there); only the header is parsed, once, and checked the same way, so "\ud800" in it is a 400, not a 500.
    private static (UnitAttributes Attributes, (string Param, string Message)? Problem) Attributes(JsonObject body, string header)
    {
        var metadata = body["metadata"];
        if (metadata is null && header.Length == 0)
        {
            return (UnitAttributes.None, null);
        }

        var merged = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (metadata is not null && Metadata(metadata, merged) is { } invalidMetadata)
        {
            return (UnitAttributes.None, invalidMetadata);
        }

        if (header.Length > 0 && Header(header, merged) is { } invalidHeader)
        {
            return (UnitAttributes.None, invalidHeader);
        }

        try
        {
            return (UnitAttributes.From(merged), null);
        }
        catch (ArgumentException e)
        {
            return (UnitAttributes.None, ("metadata", $"'metadata': {e.Message.Split(" (Parameter")[0]}."));
        }
    }

    private static (string Param, string Message)? Metadata(JsonNode metadata, Dictionary<string, AttributeValue> merged)
    {
        const string Source = "metadata";
        if (metadata is not JsonObject attributes)
        {
            return (Source, $"'{Source}': {Source} must be a JSON object of attributes, e.g. {{\"plan\": \"pro\", \"country\": \"FR\"}}.");
        }

        foreach (var (name, node) in attributes)
        {
            AttributeValue? read = node?.GetValueKind() switch
            {
                JsonValueKind.String => AttributeValue.Of(node.GetValue<string>()),
                JsonValueKind.Number when node.AsValue().TryGetValue<double>(out var number) && double.IsFinite(number) => AttributeValue.Of(number),
                JsonValueKind.True => AttributeValue.Of(true),
                JsonValueKind.False => AttributeValue.Of(false),
                _ => null,
            };
            if (read is null)
            {
                var field = $"{Source}.{name}";
                return (field, $"'{field}': {field} must be a string, a finite number or a boolean.");
            }

            merged[name] = read.Value;
            if (merged.Count > UnitAttributes.MaxAttributes)
            {
                break;   // From refuses the set; no need to read the rest
            }
        }

        return null;
    }

    private static (string Param, string Message)? Header(string header, Dictionary<string, AttributeValue> merged)
    {
        const string Source = GatewayHeaders.Attributes;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException)
        {
            return (Source, $"'{Source}' must be a JSON object of attributes, e.g. {{\"plan\": \"pro\"}}.");
        }

        using (document)
        {
            if (JsonInput.Problem(document.RootElement, Source) is { } unusable)
            {
                return (unusable.Field, unusable.Message);
            }

            if (UnitAttributes.Read(document.RootElement, Source, out var problem) is not { } read)
            {
                var end = problem!.IndexOfAny([' ', ':']);
                var field = end < 0 ? Source : problem[..end];
                return (field, $"'{field}': {problem}.");
            }

            foreach (var name in read.Names)
            {
                read.TryGet(name, out var value);
                merged[name] = value;
            }
        }

        return null;
    }

    private static (string Param, string Message)? Problem(JsonObject body)
    {
        if (body["model"] is { } model && model.GetValueKind() != JsonValueKind.String)
        {
            return ("model", "'model' must be a string: a model, or experiment:KEY.");
        }

        if (body["messages"] is not JsonArray)
        {
            return ("messages", "'messages' is required: an array of chat messages.");
        }

        if (body["stream"] is { } stream && stream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ("stream", "'stream' must be true or false.");
        }

        if (body["user"] is { } user && user.GetValueKind() != JsonValueKind.String)
        {
            return ("user", "'user' must be a string: the unit (a user or session id).");
        }

        return null;
    }

    // The X-Rampart-Assignment values, named once rather than per call (the enum counts from 0 without gaps).
    private static readonly string[] ReasonNames = [.. Enum.GetValues<AssignmentReason>().Select(ExperimentJson.Name)];

    /// <summary>A call whose client hung up: recorded as <see cref="CancelledCall"/>, which counts as neither request nor error.</summary>
    private static ChatCallResult Cancelled => new(499, CancelledCall.Error);

    /// <summary>
    /// A call whose client hung up, with what it had measured by then (time to first token, text so far, tokens), as the
    /// in-process middleware records one; the failure it may have ended in was the hang-up's doing, so it is not kept.
    /// </summary>
    private static ChatCallResult AsCancelled(ChatCallResult partial) =>
        partial with { StatusCode = 499, Error = CancelledCall.Error, ErrorCode = null, Detail = null };

    private static ulong Seed(string requestId)
    {
        // A request id is a 36-character GUID; a caller's own (PassThrough has none) fits the stack as well.
        var length = Encoding.UTF8.GetMaxByteCount(requestId.Length);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        return XxHash64.HashToUInt64(utf8[..Encoding.UTF8.GetBytes(requestId, utf8)]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {RequestId} to provider '{Provider}' failed with {StatusCode}: {Detail}")]
    private static partial void LogCallFailed(ILogger logger, string requestId, string provider, int statusCode, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provider '{Provider}' threw instead of reporting a failure.")]
    private static partial void LogProviderFailed(ILogger logger, string provider, Exception error);
}
