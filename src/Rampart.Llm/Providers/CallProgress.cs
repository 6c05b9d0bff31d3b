using System.Text;

namespace Rampart.Llm.Providers;

/// <summary>What one call has measured so far, so a call that fails halfway still reports what it saw.</summary>
internal sealed class CallProgress(TimeProvider timeProvider)
{
    private readonly long start = timeProvider.GetTimestamp();
    private StringBuilder? output;

    public double? TtftMs { get; private set; }

    public long? PromptTokens { get; set; }

    public long? CompletionTokens { get; set; }

    public string? Model { get; set; }

    /// <summary>The first problem seen after the answer started (a malformed chunk, a mid-stream error), or null.</summary>
    public string? Error { get; set; }

    /// <summary>The status sent to the caller once the answer started, or null before.</summary>
    public int? StartedStatus { get; private set; }

    public string? Output => output?.ToString();

    /// <summary>The answer's text as collected, for a log message to format only if it is written.</summary>
    public StringBuilder? OutputText => output;

    public double ElapsedMs => timeProvider.GetElapsedTime(start).TotalMilliseconds;

    /// <summary>Appends streamed answer text; the first non-empty piece fixes the time to first token.</summary>
    public void AddContent(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        MarkFirstToken();
        (output ??= new StringBuilder()).Append(text);
    }

    /// <summary>Fixes the time to first token (content that is not text, such as a tool call, counts too).</summary>
    public void MarkFirstToken() => TtftMs ??= ElapsedMs;

    public void SetOutput(string? text) => output = text is null ? null : new StringBuilder(text);

    public ValueTask StartAsync(IChatResponseWriter response, int statusCode, string contentType, CancellationToken cancellationToken)
    {
        StartedStatus = statusCode;
        return response.StartAsync(statusCode, contentType, cancellationToken);
    }

    public ChatCallResult Result(int statusCode, string? error) =>
        new(statusCode, error, PromptTokens, CompletionTokens, TtftMs, Model, Output);
}
