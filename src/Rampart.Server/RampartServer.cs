using Rampart.Server.Access;
using Rampart.Server.Assignment;
using Rampart.Server.Configuration;
using Rampart.Server.Dashboard;
using Rampart.Server.Events;
using Rampart.Server.Experiments;
using Rampart.Server.Gateway;
using Rampart.Server.Ops;
using Rampart.Server.Results;

namespace Rampart.Server;

/// <summary>The server's contents: its configuration, its services, its middleware, and one <c>Map…</c> per feature folder.</summary>
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
        builder.Services.AddRampartServer();             // one Add… per feature folder
        configure?.Invoke(builder);

        var app = builder.Build();

        // Configuration/: every bad setting in one error now, before the host builds its services, each of which would
        // otherwise stop the start naming only its own feature's problems.
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        app.UseRampartServer();                          // problem details, request metrics, keys and scopes
        app.MapOpsApi();                                 // Ops/: GET /healthz, GET /metrics
        app.MapGatewayApi();                             // Gateway/: POST /v1/chat/completions
        app.MapAssignApi();                              // Assignment/: POST /api/assign
        app.MapEventAndFeedbackApi();                    // Events/: POST /api/events, POST /api/feedback
        app.MapExperimentsApi();                         // Experiments/: create, list, show, rollout commands, audit
        app.MapResultsAndChartsApi();                    // Results/: results, timeline, latency; GET /api/events/quarantined
        app.MapAccessApi();                              // Access/: GET /api/me, the caller's key name and scope
        app.MapDashboardPage();                          // Dashboard/: GET /, /dashboard/{file} (no data without a key)
        return app;
    }
}
