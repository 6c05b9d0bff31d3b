using Rampart.Server.Access;
using Rampart.Server.Api;
using Rampart.Server.Dashboard;
using Rampart.Server.Configuration;
using Rampart.Server.Gateway;
using Rampart.Server.Results;

namespace Rampart.Server;

/// <summary>The server's contents: its configuration, its services, its middleware, and one <c>Map…</c> per API area.</summary>
public static class RampartServer
{
    /// <summary>
    /// Builds the server from command-line <paramref name="args"/> (<c>--urls</c>, <c>--config</c>, <c>--db</c>);
    /// <paramref name="configure"/> may change the builder first (tests, hosts).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddRampartConfiguration(args);           // Configuration/: rampart.json, RAMPART__…, --db
        builder.Services.AddRampartServer();             // settings, stores, keys, event writer, results, gateway, metrics
        configure?.Invoke(builder);

        var app = builder.Build();

        // Configuration/: every bad setting in one error now, before the host builds its services, each of which would
        // otherwise stop the start naming only its own feature's problems.
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        app.UseRampartServer();                          // problem details, request metrics, keys and scopes
        app.MapOpsApi();                                 // GET /healthz, GET /metrics
        app.MapGatewayApi();                             // POST /v1/chat/completions
        app.MapAssignApi();                              // POST /api/assign
        app.MapEventsApi();                              // POST /api/events
        app.MapFeedbackApi();                            // POST /api/feedback
        app.MapExperimentsApi();                         // /api/experiments: create, list, show, rollout commands, audit
        app.MapResultsApi();                             // GET /api/experiments/{key}/results
        app.MapChartsApi();                              // GET /api/experiments/{key}/timeline, /latency: the dashboard's charts
        app.MapAccessApi();                              // GET /api/me: the caller's key name and scope
        app.MapQuarantineApi();                          // GET /api/events/quarantined: events results set aside
        app.MapDashboardPage();                          // GET /, /dashboard/{file}: the web dashboard (no data without a key)
        return app;
    }
}
