namespace Rampart.Llm.Providers;

/// <summary>
/// How much of an upstream's answer a provider holds at once, so no answer can grow the process without bound: a whole
/// (non-streamed) answer, one line of a stream, an error body, and the answer text kept for the completion event.
/// </summary>
public sealed record UpstreamLimits
{
    /// <summary>The default of <see cref="MaxResponseBytes"/>: 8 MiB.</summary>
    public const long DefaultMaxResponseBytes = 8L * 1024 * 1024;

    /// <summary>The default of <see cref="MaxStreamLineBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxStreamLineBytes = 1024 * 1024;

    /// <summary>The default of <see cref="MaxErrorBodyBytes"/>: 64 KiB.</summary>
    public const int DefaultMaxErrorBodyBytes = 64 * 1024;

    /// <summary>The default of <see cref="MaxStoredOutputChars"/>: 262,144 characters.</summary>
    public const int DefaultMaxStoredOutputChars = 256 * 1024;

    /// <summary>The limits when none are configured.</summary>
    public static UpstreamLimits Default { get; } = new();

    /// <summary>
    /// The largest whole (non-streamed) answer relayed, in bytes (<c>gateway.max_response_bytes</c>); a larger one fails
    /// the call with 502. Streams are relayed line by line and have no total limit.
    /// </summary>
    /// <value>Default: 8 MiB.</value>
    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>
    /// The longest line of a server-sent event stream, in bytes (<c>gateway.max_stream_line_bytes</c>); a longer one ends
    /// the call as failed.
    /// </summary>
    /// <value>Default: 1 MiB.</value>
    public int MaxStreamLineBytes { get; init; } = DefaultMaxStreamLineBytes;

    /// <summary>
    /// How much of an upstream's error answer is read for its message, in bytes (<c>gateway.max_error_body_bytes</c>); the
    /// rest is not read.
    /// </summary>
    /// <value>Default: 64 KiB.</value>
    public int MaxErrorBodyBytes { get; init; } = DefaultMaxErrorBodyBytes;

    /// <summary>
    /// The most characters of answer text kept for the completion event's <c>output</c> (<c>gateway.max_stored_output_chars</c>);
    /// longer text is cut there and ends with <see cref="TruncatedMarker"/>.
    /// </summary>
    /// <value>Default: 262144.</value>
    public int MaxStoredOutputChars { get; init; } = DefaultMaxStoredOutputChars;

    /// <summary>What ends a stored output that was cut at <see cref="MaxStoredOutputChars"/>.</summary>
    public const string TruncatedMarker = "…[truncated by Rampart: gateway.max_stored_output_chars]";

    /// <summary>The error code of a call failed by one of these limits.</summary>
    internal const string ErrorCode = "upstream_response_too_large";

    internal string ResponseTooLarge(string provider) =>
        $"Provider '{provider}' answered with more than {MaxResponseBytes} bytes, the limit (gateway.max_response_bytes); raise the limit or ask for a shorter answer (max_tokens).";

    internal string LineTooLong(string provider) =>
        $"Provider '{provider}' sent a stream line longer than {MaxStreamLineBytes} bytes, the limit (gateway.max_stream_line_bytes); raise the limit if its events are really that long.";
}
