using Rampart.Server.Access;
using Rampart.Server.Alerts;
using Rampart.Server.Configuration;
using Rampart.Server.Events;
using Rampart.Server.Experiments;
using Rampart.Server.Gateway;
using Rampart.Server.Health;
using Rampart.Server.Judging;
using Rampart.Server.Http;
using Rampart.Server.Monitor;
using Rampart.Server.Results;
using Rampart.Server.Shadowing;
using Rampart.Server.Storage;
using Rampart.Server.Telemetry;
using Rampart.Server.Threading;

namespace Rampart.Server;

/// <summary>The server's services, one <c>Add…</c> per feature; every registration is a <c>TryAdd</c>, so a host (or a test) may put its own first.</summary>
public static class RampartServerServices
{
    /// <summary>Adds everything the server needs.</summary>
    public static IServiceCollection AddRampartServer(this IServiceCollection services)
    {
        // Each feature's options are read from its section and checked at start, in this order: a bad value stops the server
        // with one message naming every bad key.
        services.AddRampartServerOptions();   // Configuration/: server.*, Kestrel's body limit, the clock
        services.AddRampartAccess();          // Access/: keys
        services.AddRampartEvents();          // Events/: the bounded queue, the local journal, feedback joins
        services.AddRampartGateway();         // Gateway/: providers, prices, the call recorder, the chat gateway
        services.AddRampartJudges();          // Judging/: sampled calls judged off the request path, verdicts as feedback
        services.AddRampartShadow();          // Shadowing/: shadow variants called off the request path, after the served answer
        services.AddRampartAlerts();          // Alerts/: the log and every configured webhook
        services.AddRampartStorage();         // Storage/: the SQLite file or the shared PostgreSQL database; 503 when it fails
        services.AddRampartExperiments();     // Experiments/: snapshots for assignment, the control plane's commands
        services.AddRampartResults();         // Results/: incremental aggregates following the store
        services.AddRampartMonitor();         // Monitor/: guardrails, stage advances and promotions
        services.AddRampartHealth();          // Health/: what /healthz reports as degraded
        services.AddRampartTelemetry();       // Telemetry/: metrics for Prometheus, spans for OTLP
        services.AddRampartHttp();            // Http/: problem details for every error
        services.AddRampartThreading();       // Threading/: gateway calls on the socket threads (server.inline_io)

        // Hosted in this order, stopped in reverse: the follower first, then the writer drains the queue; the monitor
        // starts after the follower has caught up.
        services.AddHostedService<FirstStartKey>();
        services.AddHostedService<SnapshotRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookAlertSink>());
        services.AddHostedService<EventWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<JudgeWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<ShadowWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<EventFollower>());
        services.AddHostedService(sp => sp.GetRequiredService<RolloutMonitor>());
        return services.AddOneStartupError();
    }

    /// <summary>The middleware every request goes through: off the socket thread unless hot, problem details for errors, request metrics, keys.</summary>
    public static WebApplication UseRampartServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<IoThreadMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<AccessMiddleware>();
        return app;
    }
}
