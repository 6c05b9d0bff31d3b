using Microsoft.Extensions.DependencyInjection.Extensions;
using Rampart.Server.Configuration;

namespace Rampart.Server.Access;

/// <summary>Keys: the <c>access</c> section's options, the key ring and the console the first start's key is shown on.</summary>
internal static class AccessServices
{
    /// <summary>Adds <see cref="AccessOptions"/>, <see cref="KeyRing"/> and <see cref="ServerConsole"/> (each a <c>TryAdd</c>).</summary>
    /// <remarks><see cref="FirstStartKey"/> is hosted with the server's other background services, in their order.</remarks>
    public static IServiceCollection AddRampartAccess(this IServiceCollection services)
    {
        services.AddSettings<AccessOptions, AccessOptionsSetup>();
        services.TryAddSingleton(new ServerConsole(Console.Out));
        services.TryAddSingleton<KeyRing>();
        return services;
    }
}
