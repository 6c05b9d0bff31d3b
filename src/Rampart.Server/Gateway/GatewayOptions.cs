using Rampart.Llm.Providers;

namespace Rampart.Server.Gateway;

/// <summary>The <c>gateway</c> section (docs/configuration.md): where unmatched calls go and how much of an upstream is read.</summary>
public sealed class GatewayOptions
{
    /// <summary>The provider a gateway call whose model names no experiment goes to (<c>gateway.default_provider</c>).</summary>
    /// <value>Default: openai when configured, else sim.</value>
    public string DefaultProvider { get; set; } = Llm.Providers.Simulated.SimulatedProvider.DefaultName;

    /// <summary>The largest whole (non-streamed) upstream answer, in bytes (<c>gateway.max_response_bytes</c>); larger is a 502.</summary>
    /// <value>Default: 8 MiB.</value>
    public long MaxResponseBytes { get; set; } = UpstreamLimits.DefaultMaxResponseBytes;

    /// <summary>The longest line of an upstream's event stream, in bytes (<c>gateway.max_stream_line_bytes</c>); longer fails the call.</summary>
    /// <value>Default: 1 MiB.</value>
    public int MaxStreamLineBytes { get; set; } = UpstreamLimits.DefaultMaxStreamLineBytes;

    /// <summary>How much of an upstream's error answer is read, in bytes (<c>gateway.max_error_body_bytes</c>).</summary>
    /// <value>Default: 64 KiB.</value>
    public int MaxErrorBodyBytes { get; set; } = UpstreamLimits.DefaultMaxErrorBodyBytes;

    /// <summary>The most characters of answer text stored in a completion event's <c>output</c> (<c>gateway.max_stored_output_chars</c>).</summary>
    /// <value>Default: 262144.</value>
    public int MaxStoredOutputChars { get; set; } = UpstreamLimits.DefaultMaxStoredOutputChars;

    /// <summary>The upstream limits above, for the providers.</summary>
    public UpstreamLimits UpstreamLimits => new()
    {
        MaxResponseBytes = MaxResponseBytes,
        MaxStreamLineBytes = MaxStreamLineBytes,
        MaxErrorBodyBytes = MaxErrorBodyBytes,
        MaxStoredOutputChars = MaxStoredOutputChars,
    };
}
