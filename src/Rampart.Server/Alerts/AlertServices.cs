using Microsoft.Extensions.DependencyInjection.Extensions;
using Rampart.Core.Alerts;
using Rampart.Server.Configuration;

namespace Rampart.Server.Alerts;

/// <summary>Alerts: the log and every configured webhook, each with its own queue and retries.</summary>
internal static class AlertServices
{
    /// <summary>The named HttpClient alert webhooks are posted with (each attempt has its own timeout).</summary>
    public const string HttpClientName = "rampart.alerts";

    /// <summary>Adds <see cref="AlertOptions"/>, the webhooks' HttpClient and <see cref="WebhookAlertSink"/> as the <see cref="IAlertSink"/> (each a <c>TryAdd</c>).</summary>
    /// <remarks>The sink is hosted with the server's other background services, in their order.</remarks>
    public static IServiceCollection AddRampartAlerts(this IServiceCollection services)
    {
        services.AddSettings<AlertOptions, AlertOptionsSetup>();
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<WebhookAlertSink>();
        services.TryAddSingleton<IAlertSink>(sp => sp.GetRequiredService<WebhookAlertSink>());
        return services;
    }
}
