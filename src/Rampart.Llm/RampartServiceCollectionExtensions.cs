using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rampart.Core.Rollouts;
using Rampart.Llm.Judging;
using Rampart.Llm.Middleware;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;

namespace Rampart.Llm;

/// <summary>Registers Rampart's LLM services.</summary>
public static class RampartServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RampartOptions"/> and <see cref="JudgeOptions"/> (both validated at start), <see cref="TimeProvider"/>, the <see cref="PriceTable"/> and
    /// <see cref="CostEstimator"/>, an <see cref="IExperimentSnapshot"/> reading the registered <see cref="IExperimentStore"/>,
    /// and the <see cref="ProviderRegistry"/>; each with <c>TryAdd</c>, so a registration made before wins. The app registers
    /// an <see cref="IExperimentStore"/> and an <c>IEventSink</c>, and adds <c>UseRampartExperiment</c> to its chat client.
    /// </summary>
    public static RampartBuilder AddRampart(this IServiceCollection services, Action<RampartOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RampartOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RampartOptions>, RampartOptionsValidator>());
        // The middleware's judge backlog reads these when its chat client is first made: checked at start, not at the first call.
        services.AddOptions<JudgeOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JudgeOptions>, JudgeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => Options(sp).ToPriceTable());
        services.TryAddSingleton(sp => new CostEstimator(sp.GetRequiredService<PriceTable>(), Logger<CostEstimator>(sp)));
        services.TryAddSingleton<IExperimentSnapshot>(sp => new StoreExperimentSnapshot(
            sp.GetService<IExperimentStore>() ?? throw new InvalidOperationException(
                "Rampart's experiment snapshot reads an IExperimentStore, and none is registered; register one (e.g. Rampart.Storage's SQLite store) or an IExperimentSnapshot of your own."),
            Options(sp).SnapshotRefreshInterval,
            sp.GetRequiredService<TimeProvider>(),
            Logger<StoreExperimentSnapshot>(sp)));
        services.TryAddSingleton<RampartHttp>();
        services.TryAddSingleton(sp => new ProviderRegistry(
            Options(sp).Providers,
            _ => sp.GetRequiredService<RampartHttp>().Client,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return new RampartBuilder(services);
    }

    private static RampartOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<RampartOptions>>().Value;

    private static ILogger<T>? Logger<T>(IServiceProvider services) => services.GetService<ILoggerFactory>()?.CreateLogger<T>();
}
