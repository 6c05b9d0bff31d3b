using Microsoft.Extensions.Options;
using Rampart.Server.Configuration;
using Rampart.Storage;

namespace Rampart.Server.Threading;

/// <summary>
/// Inline I/O (<c>server.inline_io</c>, docs/configuration.md; why in docs/decisions/0022-inline-io.md): a gateway call
/// runs on the socket engine's own thread from the read of the request, through the upstream's answer, to the write of
/// the reply, instead of being handed to the thread pool at each of those steps. The calls the server exists to serve
/// fast (<see cref="IsHotRoute"/>) stay there; every other request is moved to the thread pool first
/// (<see cref="IoThreadMiddleware"/>), so a large results page cannot hold up the calls sharing its socket thread.
/// It takes two parts: Kestrel's <c>UnsafePreferInlineScheduling</c> and the runtime's inline socket completions
/// (<see cref="Variable"/>), which only the process can turn on, before its first socket operation
/// (<see cref="ApplyToProcess"/>, which <c>rampart serve</c> calls).
/// With PostgreSQL it stays off: every store read there is a socket read, and the work after it (the results catching up
/// on the store, the dashboard's queries) would run on the socket threads too.
/// </summary>
public static class InlineIo
{
    /// <summary>The runtime's switch for running socket completions on the socket engine's threads.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether inline I/O applies: chosen in <paramref name="server"/> and the stores in SQLite.</summary>
    public static bool Chosen(ServerOptions server, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(storage);
        return server.InlineIo && !storage.UsesPostgres;
    }

    /// <summary>Whether a request to <paramref name="path"/> stays on the socket thread: the gateway and the ingestion API.</summary>
    public static bool IsHotRoute(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/api/assign", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/api/events", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/api/feedback", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Turns the runtime's inline socket completions on for this process when inline I/O applies to the server built
    /// in <paramref name="services"/> and <see cref="Variable"/> is not set already (an operator's own setting wins).
    /// Call before the server starts: the runtime reads the variable once, at the process's first socket operation.
    /// Returns whether gateway calls run on the socket threads: inline I/O applies and the variable is <c>1</c>. An
    /// operator's <c>1</c> where it does not apply (PostgreSQL, or <c>server.inline_io: false</c>) leaves Kestrel
    /// handing requests on, so it returns false.
    /// </summary>
    public static bool ApplyToProcess(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (!Chosen(server, storage))
        {
            return false;
        }

        if (Environment.GetEnvironmentVariable(Variable) is { } set)
        {
            return set == "1";
        }

        Environment.SetEnvironmentVariable(Variable, "1");
        return true;
    }
}
