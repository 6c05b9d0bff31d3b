using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Rampart.Wire.Tests.Scale;

/// <summary>Two servers on one PostgreSQL database: state changes and events made through one are seen by the other.</summary>
public sealed class TwoServerTests
{
    private const string Experiment = "scale-out";

    [Fact]
    public async Task Rollback_ThroughServerA_StopsAssignmentsOfTheVariantThroughServerBWithinTwoSeconds()
    {
        await using var servers = await TwoServers.StartAsync();
        await servers.A.CreateExperimentAsync(WireScenario.Experiment(Experiment, "sim"));
        var onVariantA = new List<string>();
        for (var i = 0; onVariantA.Count < 20; i++)
        {
            if ((await TwoServers.AssignAsync(servers.B, Experiment, $"user-{i}")).Variant == "variant_a")
            {
                onVariantA.Add($"user-{i}");
            }
        }

        using var rollback = await servers.A.Admin.PostAsJsonAsync($"/api/experiments/{Experiment}/rollback", new { variant = "variant_a", reason = "errors" });
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        var clock = Stopwatch.StartNew();
        var stillOnA = onVariantA;
        while (stillOnA.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            var assigned = await Task.WhenAll(stillOnA.Select(async u => (Unit: u, Assignment: await TwoServers.AssignAsync(servers.B, Experiment, u))));
            Assert.All(assigned.Where(a => a.Assignment.Variant != "variant_a"), a => Assert.Equal(("control", "rolled_back"), a.Assignment));
            stillOnA = [.. assigned.Where(a => a.Assignment.Variant == "variant_a").Select(a => a.Unit)];
        }

        var elapsed = clock.Elapsed;
        Assert.Empty(stillOnA);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"server B served the rolled-back variant for {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Results_EventsSentToBothServers_AreIdenticalFromEither()
    {
        await using var servers = await TwoServers.StartAsync();
        await servers.A.CreateExperimentAsync(WireScenario.Experiment(Experiment, "sim"));
        var sent = 0;
        for (var batch = 0; batch < 8; batch++)
        {
            var server = batch % 2 == 0 ? servers.A : servers.B;
            using var response = await server.Ingest.PostAsync("/api/events", new StringContent(TwoServers.Events(Experiment, $"b{batch}", 300), Encoding.UTF8, "application/x-ndjson"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            sent += 300;
        }

        var fromA = await servers.A.Admin.GetStringAsync($"/api/experiments/{Experiment}/results");
        var fromB = await servers.B.Admin.GetStringAsync($"/api/experiments/{Experiment}/results");

        Assert.Equal(fromA, fromB);
        using var results = System.Text.Json.JsonDocument.Parse(fromA);
        var requests = results.RootElement.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("requests").GetInt32());
        Assert.Equal(sent / 3, requests);
    }
}
