using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Rampart.Server.Health;

/// <summary>What the server reports as degraded, read by <c>GET /healthz</c>.</summary>
internal static class HealthServices
{
    /// <summary>Adds <see cref="ServerHealth"/> (a <c>TryAdd</c>).</summary>
    public static IServiceCollection AddRampartHealth(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerHealth>();
        return services;
    }
}
