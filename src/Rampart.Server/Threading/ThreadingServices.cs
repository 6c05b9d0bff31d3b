using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Rampart.Server.Configuration;
using Rampart.Server.Storage;
using Rampart.Storage;

namespace Rampart.Server.Threading;

/// <summary>Which thread runs a request: Kestrel's half of <see cref="InlineIo"/>, from <c>server.inline_io</c> and the storage.</summary>
internal static class ThreadingServices
{
    /// <summary>Sets Kestrel's <c>UnsafePreferInlineScheduling</c> when <see cref="InlineIo.Chosen"/>.</summary>
    public static IServiceCollection AddRampartThreading(this IServiceCollection services)
    {
        // Read without validating, as Kestrel's body limit is (Configuration/ServerServices.cs): a bad setting is reported
        // with every other problem at the start's check.
        services.AddOptions<SocketTransportOptions>().Configure<ServerOptionsSetup, StorageOptionsSetup>((sockets, serverSetup, storageSetup) =>
        {
            var server = new ServerOptions();
            serverSetup.Configure(server);
            var storage = new StorageOptions();
            storageSetup.Configure(storage);
            sockets.UnsafePreferInlineScheduling = InlineIo.Chosen(server, storage);
        });
        return services;
    }
}
