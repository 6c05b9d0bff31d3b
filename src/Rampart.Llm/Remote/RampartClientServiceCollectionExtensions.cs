using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;

namespace Rampart.Llm.Remote;

/// <summary>Remote mode: experiments and events through a Rampart server instead of a local database.</summary>
public static class RampartClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="RemoteExperimentStore"/> as the <see cref="IExperimentStore"/> (which <c>AddRampart</c>'s
    /// snapshot reads periodically, so assignment stays in-process) and a <see cref="RemoteEventSink"/> as the
    /// <see cref="IEventSink"/>; each with <c>TryAdd</c>.
    /// </summary>
    public static IServiceCollection AddRampartClient(this IServiceCollection services, Action<RampartClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RampartClientOptions();
        configure(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Rampart client options: {string.Join(" ", problems)}", nameof(configure));
        }

        // One client for both, with a timeout of its own: a hung server must fail a snapshot read or an upload attempt.
        var http = new Lazy<HttpClient>(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        });
        services.TryAddSingleton(options);
        services.TryAddSingleton<IExperimentStore>(_ => new RemoteExperimentStore(http.Value, options));
        services.TryAddSingleton<IEventSink>(sp => new RemoteEventSink(http.Value, options,
            sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>()?.CreateLogger<RemoteEventSink>()));
        return services;
    }
}
