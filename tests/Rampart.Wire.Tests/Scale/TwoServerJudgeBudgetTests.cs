using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Llm.Judging;
using Rampart.Testing;

namespace Rampart.Wire.Tests.Scale;

/// <summary>Two servers on one PostgreSQL database share each judge's daily cap: the spend is read from the stored verdicts.</summary>
public sealed class TwoServerJudgeBudgetTests
{
    private const string Experiment = "scale-out-judged";
    private const string Judge = "pg_shared_cap";

    // One simulated verdict at gpt-4o-mini's price costs $0.000084: the cap is reached by the third. The variants never fail
    // (the simulated provider's default error_rate of 1% once failed a call here, and a failed call is not judged).
    private const double VerdictUsd = 0.000084;
    private const int VerdictsToTheCap = 3;

    [Fact]
    public async Task JudgeCap_SpentThroughServerA_ServerBJudgesNothingMore()
    {
        await using var servers = await TwoServers.StartAsync();
        await servers.A.CreateExperimentAsync($$"""
            { "key": "{{Experiment}}", "control": "control",
              "variants": { "control": { "provider": "sim", "model": "model-control", "params": { "sim": { "error_rate": 0 } } },
                            "variant_a": { "provider": "sim", "model": "model-a", "params": { "sim": { "error_rate": 0 } } } },
              "stages": [ { "weights": { "control": 50, "variant_a": 50 } } ],
              "judges": [ { "name": "{{Judge}}", "provider": "sim", "model": "gpt-4o-mini", "sample_rate": 1.0,
                            "max_cost_usd_per_day": {{(VerdictsToTheCap * VerdictUsd * 0.999).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}} } ] }
            """);

        await ChatAsync(servers.A, "a", VerdictsToTheCap);
        await servers.A.EventuallyAsync(Experiment, e => e.Count(x => x.Type == EventType.Feedback) == VerdictsToTheCap);
        await Eventually.TrueAsync(() => Budget(servers.B).SpentToday(Experiment, Judge) >= VerdictsToTheCap * VerdictUsd * 0.999);
        // B's calls must be judged calls of the started experiment, not a draft's (served but neither recorded nor judged).
        await ServedExperiment.StartedAsync(servers.B.Ingest, Experiment);
        await ChatAsync(servers.B, "b", 4);

        await Eventually.TrueAsync(() => Budget(servers.B).Skipped == 4);
        var events = await servers.B.EventuallyAsync(Experiment, e => e.Count(x => x.Type == EventType.Completion) == VerdictsToTheCap + 4);
        Assert.Equal(VerdictsToTheCap, events.Count(e => e.Type == EventType.Feedback));
        Assert.Equal(0, Budget(servers.A).Skipped);
    }

    private static JudgeBudget Budget(WireHost server) => server.Services.GetRequiredService<JudgeBudget>();

    private static async Task ChatAsync(WireHost server, string units, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await server.Ingest.PostAsync("/v1/chat/completions",
                WireHost.Json($$"""{"model":"experiment:{{Experiment}}","user":"{{units}}-{{i}}","messages":[{"role":"user","content":"Where is my order?"}]}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
