namespace Rampart.Server.Configuration;

/// <summary>The <c>server</c> section (docs/configuration.md): limits of the HTTP server itself.</summary>
public sealed class ServerOptions
{
    /// <summary>The largest request body accepted, in bytes (<c>server.max_body_bytes</c>).</summary>
    /// <value>Default: 4 MiB.</value>
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Whether gateway and ingestion requests run on the thread that read them from the socket (<c>server.inline_io</c>),
    /// saving thread hand-offs; applies with the SQLite store only (Threading/InlineIo.cs).
    /// </summary>
    /// <value>Default: true.</value>
    public bool InlineIo { get; set; } = true;
}
