using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Rampart.Server.Configuration;

/// <summary>The <c>server</c> section's options, Kestrel's body limit taken from them, and the clock.</summary>
internal static class ServerServices
{
    /// <summary>Adds <see cref="ServerOptions"/>, Kestrel's request body limit and <see cref="TimeProvider.System"/> (each a <c>TryAdd</c>).</summary>
    public static IServiceCollection AddRampartServerOptions(this IServiceCollection services)
    {
        services.AddSettings<ServerOptions, ServerOptionsSetup>();

        // Kestrel reads its options while the app is built, before the start's check: read without validating, so a bad
        // server.max_body_bytes is reported with every other problem, not alone.
        services.AddOptions<KestrelServerOptions>().Configure<ServerOptionsSetup>((kestrel, setup) =>
        {
            var server = new ServerOptions();
            setup.Configure(server);
            kestrel.Limits.MaxRequestBodySize = server.MaxBodyBytes + 1;
        });
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
