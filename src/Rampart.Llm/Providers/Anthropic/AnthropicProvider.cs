using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rampart.Llm.Providers.Anthropic;

/// <summary>
/// Serves OpenAI-format calls from Anthropic's Messages API (<c>{base_url}/v1/messages</c>): translates the request, and
/// the answer back into a <c>chat.completion</c>, or its stream into <c>chat.completion.chunk</c> events event by event.
/// </summary>
public sealed partial class AnthropicProvider : IChatProvider
{
    /// <summary>The <c>anthropic-version</c> header sent with every call.</summary>
    public const string ApiVersion = "2023-06-01";

    /// <summary>The <c>max_tokens</c> sent when the request has none (Anthropic requires one).</summary>
    public const int DefaultMaxTokens = AnthropicRequest.DefaultMaxTokens;

    private const int ReadBufferSize = 16 * 1024;

    private readonly HttpClient httpClient;
    private readonly ProviderEndpoint endpoint;
    private readonly Uri url;
    private readonly TimeProvider timeProvider;
    private readonly UpstreamLimits limits;
    private readonly ILogger logger;

    /// <summary>
    /// Creates the provider; <paramref name="httpClient"/> is not disposed by it. <paramref name="limits"/> bound what it
    /// holds of an answer (<see cref="UpstreamLimits.Default"/> when null).
    /// </summary>
    public AnthropicProvider(HttpClient httpClient, ProviderEndpoint endpoint, TimeProvider? timeProvider = null, ILogger<AnthropicProvider>? logger = null, UpstreamLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        this.httpClient = httpClient;
        this.endpoint = endpoint;
        url = endpoint.Resolve("v1/messages");
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.limits = limits ?? UpstreamLimits.Default;
        this.logger = logger ?? NullLogger<AnthropicProvider>.Instance;
    }

    /// <inheritdoc />
    public Task<ChatCallResult> SendAsync(ChatCall chatCall, IChatResponseWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chatCall);
        ArgumentNullException.ThrowIfNull(response);
        return UpstreamExchange.RunAsync(endpoint.Name, chatCall, response, timeProvider, limits, logger, context => ExchangeAsync(chatCall, response, context), cancellationToken);
    }

    private async Task<ChatCallResult> ExchangeAsync(ChatCall chatCall, IChatResponseWriter response, UpstreamContext context)
    {
        if (!AnthropicRequest.TryTranslate(chatCall.Body, chatCall.Stream, out var body, out var translationProblem))
        {
            return context.Progress.Result(400, translationProblem);
        }

        if (!ApiKey.TryRead(endpoint, out var key, out var keyProblem))
        {
            // The variable's name is for the operator's log, not for the caller.
            return context.Progress.Result(500, $"Provider '{endpoint.Name}' has no API key configured; the server log names the setting to fix.") with { Detail = keyProblem };
        }

        context.Progress.Secret = key;
        context.Progress.Model = JsonReading.String(body["model"]);
        var payload = OpenAiWire.Serialize(body);
        LogRequestBody(logger, endpoint.Name, new Utf8Text(payload));

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(OpenAiWire.JsonContentType);
        request.Headers.Add("anthropic-version", ApiVersion);
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        using var upstream = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.Token).ConfigureAwait(false);
        var status = (int)upstream.StatusCode;
        if (!upstream.IsSuccessStatusCode)
        {
            var (error, _) = await BoundedContent.ReadPrefixAsync(upstream.Content, limits.MaxErrorBodyBytes, context.Token).ConfigureAwait(false);
            return context.Progress.Result(status, UpstreamErrors.Message(SecretText.Redact(error, key), status));
        }

        var created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var isEventStream = upstream.Content.Headers.ContentType?.MediaType == OpenAiWire.EventStreamContentType;
        if (chatCall.Stream && isEventStream)
        {
            return await TranslateStreamAsync(upstream, status, created, response, context).ConfigureAwait(false);
        }

        var json = await BoundedContent.ReadAsync(upstream.Content, limits.MaxResponseBytes, context.Token).ConfigureAwait(false);
        if (json is null)
        {
            context.Progress.ErrorCode = UpstreamLimits.ErrorCode;
            return context.Progress.Result(502, limits.ResponseTooLarge(endpoint.Name));
        }

        json = SecretText.Redact(json, key);

        LogResponseBody(logger, endpoint.Name, new Utf8Text(json));

        var completion = AnthropicAnswer.ToCompletion(json, created, context.Progress);
        await context.Progress.WriteAnswerAsync(response, status, OpenAiWire.JsonContentType, completion, context.CallerToken).ConfigureAwait(false);
        return context.Progress.Result(status, null);
    }

    /// <summary>
    /// Translates the stream event by event as it arrives (the answer starts with the first translated event); stops at
    /// the end, at a malformed event, or at a line over the limit.
    /// </summary>
    private async Task<ChatCallResult> TranslateStreamAsync(HttpResponseMessage upstream, int status, long created, IChatResponseWriter response, UpstreamContext context)
    {
        var progress = context.Progress;
        var translator = new AnthropicStreamTranslator(endpoint.Name, created, progress);
        var events = new List<byte[]>();
        var stream = await upstream.Content.ReadAsStreamAsync(context.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var lines = new SseLineBuffer(limits.MaxStreamLineBytes);
            var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            try
            {
                while (!translator.Finished && progress.Error is null)
                {
                    context.RestartTimeout();
                    var read = await stream.ReadAsync(buffer, context.Token).ConfigureAwait(false);
                    var ended = read == 0;
                    lines.Append(buffer.AsSpan(0, read));
                    while (!translator.Finished && progress.Error is null && (lines.TryReadLine(out var line) || (ended && lines.TryReadLast(out line))))
                    {
                        translator.Translate(line, events);
                    }

                    lines.MarkRelayed();
                    if (lines.TooLong)
                    {
                        progress.Error ??= limits.LineTooLong(endpoint.Name);
                        progress.ErrorCode ??= UpstreamLimits.ErrorCode;
                    }

                    foreach (var chunk in events)
                    {
                        await progress.EnsureStartedAsync(response, status, OpenAiWire.EventStreamContentType, context.CallerToken).ConfigureAwait(false);
                        await response.WriteAsync(progress.Redacted(chunk), context.CallerToken).ConfigureAwait(false);
                    }

                    events.Clear();
                    if (ended)
                    {
                        break;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (!translator.Finished)
        {
            progress.Error ??= $"Provider '{endpoint.Name}' ended its stream before message_stop.";
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
