using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rampart.Core.Access;
using Rampart.Core.Alerts;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Llm;
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
using Rampart.Storage;

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
        // Configuration, each feature's options read from its section and checked at start: a bad value stops the server
        // with one message naming every bad key.
        services.AddSettings<ServerOptions, ServerOptionsSetup>();
        services.AddSettings<AccessOptions, AccessOptionsSetup>();
        services.AddSettings<EventOptions, EventOptionsSetup>();
        services.AddSettings<FeedbackOptions, FeedbackOptionsSetup>();
        services.AddSettings<GatewayOptions, GatewayOptionsSetup>();
        services.AddSettings<AlertOptions, AlertOptionsSetup>();

        // Kestrel reads its options while the app is built, before the start's check: read without validating, so a bad
        // server.max_body_bytes is reported with every other problem, not alone.
        services.AddOptions<KestrelServerOptions>().Configure<ServerOptionsSetup>((kestrel, setup) =>
        {
            var server = new ServerOptions();
            setup.Configure(server);
            kestrel.Limits.MaxRequestBodySize = server.MaxBodyBytes + 1;
        });
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
            var events = sp.GetRequiredService<IOptions<EventOptions>>().Value;
            return new EventJournal(events.JournalFile(sp.GetRequiredService<IOptions<StorageOptions>>().Value), events.JournalMaxBytes,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventJournal>>(), takeFreeSlot: events.JournalPath is null);
        });
        services.TryAddSingleton<StoredSignal>();
        services.TryAddSingleton<CommittedEvents>();
        services.TryAddSingleton<IEventSink, QueuedEventSink>();
        services.TryAddSingleton<PendingFeedbackBudget>();
        services.TryAddSingleton<FeedbackJoiner>();

        // Gateway/: snapshots for assignment; providers and prices are Rampart.Llm's (AddRampart), read from the providers and
        // pricing sections, with the server's HttpClient and the gateway's upstream limits.
        services.TryAddSingleton<ExperimentSnapshots>();
        services.AddHostedService<SnapshotRefresher>();
        // Redirects are not followed: an upstream (or whoever controls its DNS) must not send the calls, and the API key
        // with them, somewhere else; a 3xx is a failed call (502).
        services.AddHttpClient(ProvidersHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
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
        return services.AddOneStartupError();
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
