using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Llm.Variants;

namespace Rampart.Llm.Providers.OpenAi;

/// <summary>
/// Forwards calls to any OpenAI-compatible <c>/chat/completions</c> endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp)
/// and relays the answer unchanged: a JSON answer byte for byte, a stream chunk by chunk as it arrives. Uses HttpClient rather
/// than the OpenAI SDK because the SDK would re-serialise the answer.
/// </summary>
public sealed partial class OpenAiCompatibleProvider : IChatProvider
{
    private const int ReadBufferSize = 16 * 1024;

    private readonly HttpClient httpClient;
    private readonly ProviderEndpoint endpoint;
    private readonly Uri url;
    private readonly TimeProvider timeProvider;
    private readonly UpstreamLimits limits;
    private readonly ILogger logger;

    /// <summary>
    /// Creates the provider; <paramref name="httpClient"/> is not disposed by it (a pooled or factory-made client fits).
    /// <paramref name="limits"/> bound what it holds of an answer (<see cref="UpstreamLimits.Default"/> when null).
    /// </summary>
    public OpenAiCompatibleProvider(HttpClient httpClient, ProviderEndpoint endpoint, TimeProvider? timeProvider = null, ILogger<OpenAiCompatibleProvider>? logger = null, UpstreamLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        this.httpClient = httpClient;
        this.endpoint = endpoint;
        url = endpoint.Resolve("chat/completions");
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.limits = limits ?? UpstreamLimits.Default;
        this.logger = logger ?? NullLogger<OpenAiCompatibleProvider>.Instance;
    }

    /// <inheritdoc />
    public Task<ChatCallResult> SendAsync(ChatCall chatCall, IChatResponseWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chatCall);
        ArgumentNullException.ThrowIfNull(response);
        return UpstreamExchange.RunAsync(endpoint.Name, chatCall, response, timeProvider, limits, logger, context => ExchangeAsync(chatCall, response, context), cancellationToken);
    }

    /// <summary>The body as forwarded: streams ask for the final usage chunk; a non-streamed call never streams.</summary>
    internal static JsonObject WireBody(ChatCall chatCall)
    {
        var body = chatCall.Body;
        if (chatCall.Stream)
        {
            body = body.DeepClone().AsObject();
            body["stream"] = true;
            var options = body["stream_options"] as JsonObject ?? [];
            options["include_usage"] = true;
            body["stream_options"] = options;
        }
        else if (JsonReading.IsTrue(body["stream"]))
        {
            body = body.DeepClone().AsObject();
            body.Remove("stream");
            body.Remove("stream_options");
        }

        return body;
    }

    // A variant's call is written in one pass from the caller's body; any other (a pass-through, a judge's) from its Body.
    private static string? WriteBody(ChatCall chatCall, PooledBufferWriter payload)
    {
        if (chatCall.Unapplied is var (callerBody, variant) && VariantWireBody.Handles(variant))
        {
            using var writer = OpenAiWire.CreateWriter(payload);
            VariantWireBody.Write(writer, callerBody, variant, chatCall.Stream);
            return variant.Model;
        }

        var body = WireBody(chatCall);
        OpenAiWire.Serialize(body, payload);
        return JsonReading.String(body["model"]);
    }

    private async Task<ChatCallResult> ExchangeAsync(ChatCall chatCall, IChatResponseWriter response, UpstreamContext context)
    {
        if (!ApiKey.TryRead(endpoint, out var key, out var problem))
        {
            // The variable's name is for the operator's log, not for the caller.
            return context.Progress.Result(500, $"Provider '{endpoint.Name}' has no API key configured; the server log names the setting to fix.") with { Detail = problem };
        }

        context.Progress.Secret = key;
        // Pooled, and returned only once the exchange is over: the request has been sent by then.
        using var payload = new PooledBufferWriter();
        context.Progress.Model = WriteBody(chatCall, payload);
        LogRequestBody(logger, endpoint.Name, new Utf8Text(payload.WrittenMemory));

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(payload.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(OpenAiWire.JsonContentType);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var upstream = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.Token).ConfigureAwait(false);
        var status = (int)upstream.StatusCode;
        if (!upstream.IsSuccessStatusCode)
        {
            var (error, _) = await BoundedContent.ReadPrefixAsync(upstream.Content, limits.MaxErrorBodyBytes, context.Token).ConfigureAwait(false);
            return context.Progress.Result(status, UpstreamErrors.Message(SecretText.Redact(error, key), status));
        }

        var isEventStream = upstream.Content.Headers.ContentType?.MediaType == OpenAiWire.EventStreamContentType;
        return chatCall.Stream && isEventStream
            ? await RelayStreamAsync(upstream, status, response, context).ConfigureAwait(false)
            : await RelayJsonAsync(upstream, status, key, response, context).ConfigureAwait(false);
    }

    private async Task<ChatCallResult> RelayJsonAsync(HttpResponseMessage upstream, int status, string? key, IChatResponseWriter response, UpstreamContext context)
    {
        var json = await BoundedContent.ReadAsync(upstream.Content, limits.MaxResponseBytes, context.Token).ConfigureAwait(false);
        if (json is null)
        {
            context.Progress.ErrorCode = UpstreamLimits.ErrorCode;
            return context.Progress.Result(502, limits.ResponseTooLarge(endpoint.Name));
        }

        json = SecretText.Redact(json, key);

        OpenAiAnswer.Read(json, context.Progress);
        LogResponseBody(logger, endpoint.Name, new Utf8Text(json));

        await context.Progress.WriteAnswerAsync(response, status, OpenAiWire.JsonContentType, json, context.CallerToken).ConfigureAwait(false);
        return context.Progress.Result(status, null);
    }

    /// <summary>
    /// Relays the stream's complete lines as they arrive (the answer starts with the first of them), reading each for the
    /// completion event; stops at a malformed chunk (not relayed), after the upstream's own error event, or at a line over
    /// the limit. A stream that ends without <c>[DONE]</c> or a finish reason was broken off.
    /// </summary>
    private async Task<ChatCallResult> RelayStreamAsync(HttpResponseMessage upstream, int status, IChatResponseWriter response, UpstreamContext context)
    {
        var progress = context.Progress;
        var stream = await upstream.Content.ReadAsStreamAsync(context.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var lines = new SseLineBuffer(limits.MaxStreamLineBytes);
            var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            try
            {
                var stop = false;
                while (!stop)
                {
                    context.RestartTimeout();
                    var read = await stream.ReadAsync(buffer, context.Token).ConfigureAwait(false);
                    var ended = read == 0;
                    lines.Append(buffer.AsSpan(0, read));
                    var relay = 0;

                    // At the end, a last line without a line break (some servers end "data: [DONE]" so) counts too.
                    while (!stop && (lines.TryReadLine(out var line) || (ended && lines.TryReadLast(out line))))
                    {
                        stop = !OpenAiAnswer.ReadStreamLine(line, progress, endpoint.Name);
                        if (!stop)
                        {
                            relay = lines.Unrelayed.Length;
                            stop = progress.ErrorEventSent;
                        }
                    }

                    if (lines.TooLong)
                    {
                        progress.Error ??= limits.LineTooLong(endpoint.Name);
                        progress.ErrorCode ??= UpstreamLimits.ErrorCode;
                        stop = true;
                    }

                    if (relay > 0)
                    {
                        await progress.EnsureStartedAsync(response, status, OpenAiWire.EventStreamContentType, context.CallerToken).ConfigureAwait(false);
                        await response.WriteAsync(progress.Redacted(lines.Unrelayed[..relay]), context.CallerToken).ConfigureAwait(false);
                    }

                    lines.MarkRelayed();
                    stop |= ended;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (!progress.StreamFinished)
        {
            progress.Error ??= $"Provider '{endpoint.Name}' ended its stream before [DONE].";
        }

        LogStreamedText(logger, endpoint.Name, new LoggedOutput(progress));

        return progress.Result(progress.StartedStatus ?? (progress.Error is null ? status : 502), progress.Error);
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Provider '{Provider}' request body: {Body}")]
    private static partial void LogRequestBody(ILogger logger, string provider, Utf8Text body);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Provider '{Provider}' answer: {Body}")]
    private static partial void LogResponseBody(ILogger logger, string provider, Utf8Text body);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Provider '{Provider}' streamed answer: {Text}")]
    private static partial void LogStreamedText(ILogger logger, string provider, LoggedOutput text);
}
