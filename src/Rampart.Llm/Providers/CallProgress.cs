using System.Text;

namespace Rampart.Llm.Providers;

/// <summary>What one call has measured so far, so a call that fails halfway still reports what it saw.</summary>
internal sealed class CallProgress(TimeProvider timeProvider, int maxOutputChars = UpstreamLimits.DefaultMaxStoredOutputChars)
{
    private readonly long start = timeProvider.GetTimestamp();
    private StoredText? output;
    private byte[]? secretUtf8;

    public double? TtftMs { get; private set; }

    public long? PromptTokens { get; set; }

    public long? CompletionTokens { get; set; }

    public string? Model { get; set; }

    private Dictionary<string, string>? unusableUsage;

    /// <summary>The first problem seen after the answer started (a malformed chunk, a mid-stream error), or null.</summary>
    public string? Error { get; set; }

    /// <summary>The OpenAI error code of the failure, when it has a specific one.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>The status sent to the caller once the answer started, or null before.</summary>
    public int? StartedStatus { get; private set; }

    /// <summary>True once the caller was sent the start of a server-sent event stream.</summary>
    public bool StartedStream { get; private set; }

    /// <summary>True once the caller was sent an error event in the stream (the upstream's own, or Rampart's).</summary>
    public bool ErrorEventSent { get; set; }

    /// <summary>True once the stream said it was complete (<c>[DONE]</c>, a finish reason, <c>message_stop</c>).</summary>
    public bool StreamFinished { get; set; }

    /// <summary>
    /// The provider's API key, when it has one: an upstream that echoes it gets it replaced by <c>[redacted]</c> in what
    /// the caller is sent (<see cref="Redacted"/>) and in the stored output and error (<see cref="Result"/>).
    /// </summary>
    public string? Secret
    {
        get;
        set
        {
            field = string.IsNullOrEmpty(value) ? null : value;
            secretUtf8 = field is null ? null : Encoding.UTF8.GetBytes(field);
        }
    }

    public string? Output => output?.ToString();

    /// <summary>The answer's text with <see cref="Secret"/> redacted, as it is stored.</summary>
    public string? RedactedOutput => Redact(Output);

    public double ElapsedMs => timeProvider.GetElapsedTime(start).TotalMilliseconds;

    /// <summary>Appends streamed answer text; the first non-empty piece fixes the time to first token.</summary>
    public void AddContent(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        MarkFirstToken();
        (output ??= new StoredText(maxOutputChars)).Append(text);
    }

    /// <summary>
    /// Notes a usage figure no token count holds. Only the first per field is kept, and cut short: a stream may repeat its
    /// usage in every chunk, and the upstream chose the text.
    /// </summary>
    public void Unusable(string field, string json)
    {
        const int MaxShown = 40;
        (unusableUsage ??= new(StringComparer.Ordinal)).TryAdd(field, json.Length <= MaxShown ? json : json[..MaxShown] + "…");
    }

    /// <summary>Fixes the time to first token (content that is not text, such as a tool call, counts too).</summary>
    public void MarkFirstToken() => TtftMs ??= ElapsedMs;

    public void SetOutput(string? text)
    {
        output = null;
        if (text is not null)
        {
            (output = new StoredText(maxOutputChars)).Append(text);
        }
    }

    public ValueTask StartAsync(IChatResponseWriter response, int statusCode, string contentType, CancellationToken cancellationToken)
    {
        StartedStatus = statusCode;
        StartedStream = contentType == OpenAiWire.EventStreamContentType;
        return response.StartAsync(statusCode, contentType, cancellationToken);
    }

    /// <summary>Sends a whole (not streamed) answer: status, content type and body at once.</summary>
    public ValueTask WriteAnswerAsync(IChatResponseWriter response, int statusCode, string contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        StartedStatus = statusCode;
        StartedStream = contentType == OpenAiWire.EventStreamContentType;
        return response.WriteAnswerAsync(statusCode, contentType, body, cancellationToken);
    }

    /// <summary>Starts the answer unless it has started already.</summary>
    public ValueTask EnsureStartedAsync(IChatResponseWriter response, int statusCode, string contentType, CancellationToken cancellationToken) =>
        StartedStatus is null ? StartAsync(response, statusCode, contentType, cancellationToken) : ValueTask.CompletedTask;

    public ChatCallResult Result(int statusCode, string? error) =>
        new(statusCode, Redact(error), PromptTokens, CompletionTokens, TtftMs, Model, RedactedOutput, ErrorCode: error is null ? null : ErrorCode)
        {
            UnusableUsage = unusableUsage is null ? null : [.. unusableUsage],
        };

    /// <summary><paramref name="utf8"/> as the caller may see it: the same bytes, unless they hold <see cref="Secret"/>.</summary>
    public ReadOnlyMemory<byte> Redacted(ReadOnlyMemory<byte> utf8) =>
        secretUtf8 is null || utf8.Span.IndexOf(secretUtf8) < 0 ? utf8 : SecretText.Redact(utf8.ToArray(), Secret);

    private string? Redact(string? text) => text is null ? null : SecretText.Redact(text, Secret);
}
