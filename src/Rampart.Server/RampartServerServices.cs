using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rampart.Core.Access;
using Rampart.Core.Alerts;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Recording;
using Rampart.Server.Access;
using Rampart.Server.Alerts;
using Rampart.Server.Api;
using Rampart.Server.Configuration;
using Rampart.Server.Events;
using Rampart.Server.Gateway;
using Rampart.Server.Health;
using Rampart.Server.Monitor;
using Rampart.Server.Results;
using Rampart.Server.Storage;
using Rampart.Server.Telemetry;

namespace Rampart.Server;

/// <summary>The server's services; every registration is a <c>TryAdd</c>, so a host (or a test) may put its own first.</summary>
public static class RampartServerServices
{
    /// <summary>The named HttpClient providers call through (no timeout of its own: each call has one).</summary>
    public const string ProvidersHttpClient = "rampart.providers";

    /// <summary>The named HttpClient alert webhooks are posted with (each attempt has its own timeout).</summary>
    public const string AlertsHttpClient = "rampart.alerts";

    /// <summary>Adds everything the server needs.</summary>
    public static IServiceCollection AddRampartServer(this IServiceCollection services)
    {
        // Configuration, checked at start: a bad value stops the server with a message naming its key.
        services.TryAddSingleton<ServerSettingsSetup>();
        services.TryAddSingleton<IConfigureOptions<ServerSettings>>(sp => sp.GetRequiredService<ServerSettingsSetup>());
        services.TryAddSingleton<IValidateOptions<ServerSettings>>(sp => sp.GetRequiredService<ServerSettingsSetup>());
        services.AddOptions<ServerSettings>().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerSettings>>((kestrel, settings) =>
            kestrel.Limits.MaxRequestBodySize = settings.Value.MaxBodyBytes + 1);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ServerConsole(Console.Out));

        // Storage/: the SQLite file, or the PostgreSQL database several servers share.
        services.AddRampartStorage();

        // Access/: keys.
        services.TryAddSingleton<KeyRing>();
        services.AddHostedService<FirstStartKey>();

        // Events/: the bounded queue, its writer and the local journal it keeps events in while the store fails; feedback joins.
        services.TryAddSingleton<EventQueue>();
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ServerSettings>>().Value;
            return new EventJournal(settings.JournalPath, settings.JournalMaxBytes, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<EventJournal>>(), takeFreeSlot: settings.JournalPathIsDefault);
        });
        services.TryAddSingleton<StoredSignal>();
        services.TryAddSingleton<CommittedEvents>();
        services.TryAddSingleton<IEventSink, QueuedEventSink>();
        services.TryAddSingleton<PendingFeedbackBudget>();
        services.TryAddSingleton<FeedbackJoiner>();

        // Gateway/: snapshots for assignment, providers, prices.
        services.TryAddSingleton<ExperimentSnapshots>();
        services.AddHostedService<SnapshotRefresher>();
        // Redirects are not followed: an upstream (or whoever controls its DNS) must not send the calls, and the API key
        // with them, somewhere else; a 3xx is a failed call (502).
        services.AddHttpClient(ProvidersHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        services.TryAddSingleton(sp => new ProviderRegistry(
            sp.GetRequiredService<IOptions<ServerSettings>>().Value.Providers,
            _ => sp.GetRequiredService<IHttpClientFactory>().CreateClient(ProvidersHttpClient),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IOptions<ServerSettings>>().Value.UpstreamLimits));
        services.TryAddSingleton(sp => new CostEstimator(
            PriceTable.BuiltIn.With(sp.GetRequiredService<IOptions<ServerSettings>>().Value.Pricing),
            sp.GetRequiredService<ILogger<CostEstimator>>()));
        services.TryAddSingleton(sp => new ExperimentCallRecorder(
            sp.GetRequiredService<CostEstimator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ExperimentCallRecorder>>(),
            sp.GetRequiredService<ServerMetrics>().UpstreamUsageRejected));
        services.TryAddSingleton<ChatGateway>();

        // Alerts/: the log and every configured webhook, each with its own queue and retries.
        services.AddHttpClient(AlertsHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<WebhookAlertSink>();
        services.TryAddSingleton<IAlertSink>(sp => sp.GetRequiredService<WebhookAlertSink>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookAlertSink>());

        // Api/: the control plane's commands.
        services.TryAddSingleton<ExperimentCommands>();

        // Results/: incremental aggregates following the store.
        services.TryAddSingleton<ResultsTracker>();
        services.TryAddSingleton<EventQuarantine>();
        services.TryAddSingleton<EventFollower>();

        // Monitor/: guardrails, stage advances and promotions every check_interval, alerting through the sink above. Its
        // lease comes with the storage (Storage/): an advisory lock on PostgreSQL, so one server acts per experiment.
        services.TryAddSingleton(sp => new RolloutMonitor(
            sp.GetRequiredService<IExperimentStore>(), sp.GetRequiredService<ResultsTracker>(), sp.GetRequiredService<EventFollower>(),
            sp.GetRequiredService<ExperimentSnapshots>(), sp.GetRequiredService<IMonitorLease>(), sp.GetRequiredService<IAlertSink>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ServerHealth>(), sp.GetRequiredService<ILogger<RolloutMonitor>>()));

        // Hosted in this order, stopped in reverse: the follower first, then the writer drains the queue; the monitor
        // starts after the follower has caught up.
        services.AddHostedService<EventWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<EventFollower>());
        services.AddHostedService(sp => sp.GetRequiredService<RolloutMonitor>());

        // Telemetry/: metrics for Prometheus; problem details for every error.
        services.TryAddSingleton<MetricLabels>();
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<ServerHealth>();
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(RampartTelemetry.MeterName, RampartTelemetry.AspNetCoreHostingMeter)
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource(RampartTelemetry.ActivitySourceName);

                // Spans leave the process only when an OTLP collector is named (the OpenTelemetry convention).
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RampartTelemetry.OtlpEndpointVariable)))
                {
                    tracing.AddOtlpExporter();
                }
            });
        services.AddProblemDetails();
        services.AddExceptionHandler<StoreFailureHandler>();
        return services;
    }

    /// <summary>The middleware every request goes through: problem details for errors, request metrics, keys.</summary>
    public static WebApplication UseRampartServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<AccessMiddleware>();
        return app;
    }
}
