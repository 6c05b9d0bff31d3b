using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rampart.Llm;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Recording;
using Rampart.Server.Configuration;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Gateway;

/// <summary>
/// The gateway: its options, and the providers and prices of Rampart.Llm (<c>AddRampart</c>), read from the <c>providers</c>
/// and <c>pricing</c> sections, with the server's HttpClient and the gateway's upstream limits.
/// </summary>
internal static class GatewayServices
{
    /// <summary>The named HttpClient providers call through (no timeout of its own: each call has one).</summary>
    public const string ProvidersHttpClient = "rampart.providers";

    /// <summary>Adds <see cref="GatewayOptions"/>, the providers, the call recorder and <see cref="ChatGateway"/> (each a <c>TryAdd</c>).</summary>
    public static IServiceCollection AddRampartGateway(this IServiceCollection services)
    {
        services.AddSettings<GatewayOptions, GatewayOptionsSetup>();

        // Redirects are not followed: an upstream (or whoever controls its DNS) must not send the calls, and the API key
        // with them, somewhere else; a 3xx is a failed call (502).
        // The factory's logging handlers go: at the default Information level they wrote four lines for every gateway
        // call (and cost two more async layers and a log scope per call even when filtered out); the providers log each
        // answer themselves (Debug) and each failure (Warning).
        services.AddHttpClient(ProvidersHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new ProviderRegistry(
            sp.GetRequiredService<IOptions<RampartOptions>>().Value.Providers,
            _ => sp.GetRequiredService<IHttpClientFactory>().CreateClient(ProvidersHttpClient),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.UpstreamLimits));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RampartOptions>, RampartOptionsSetup>());
        services.AddRampart();
        services.TryAddSingleton(sp => new ExperimentCallRecorder(
            sp.GetRequiredService<CostEstimator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ExperimentCallRecorder>>(),
            sp.GetRequiredService<ServerMetrics>().UpstreamUsageRejected,
            judges: sp.GetService<IJudgeBacklog>(),
            shadows: true));
        services.TryAddSingleton<ChatGateway>();
        return services;
    }
}
