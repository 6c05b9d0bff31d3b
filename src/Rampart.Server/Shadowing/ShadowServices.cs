using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rampart.Llm.Shadowing;
using Rampart.Server.Configuration;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Shadowing;

/// <summary>The gateway's shadow calls (docs/shadow.md): the <c>shadow</c> options, the bounded queue the gateway offers sampled requests to, the budget and the metrics.</summary>
internal static class ShadowServices
{
    /// <summary>Adds the shadow calls' services (each a <c>TryAdd</c>); the worker is hosted by the caller.</summary>
    public static IServiceCollection AddRampartShadow(this IServiceCollection services)
    {
        services.AddSettings<ShadowOptions, ShadowOptionsSetup>();
        services.TryAddSingleton(sp => new ShadowMetrics(sp.GetRequiredService<IMeterFactory>().Create(RampartTelemetry.MeterName)));
        services.TryAddSingleton(sp => new ShadowBacklog(sp.GetRequiredService<IOptions<ShadowOptions>>().Value, sp.GetRequiredService<ShadowMetrics>()));
        services.TryAddSingleton(sp => new ShadowBudget(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ShadowWorker>();
        return services;
    }
}
