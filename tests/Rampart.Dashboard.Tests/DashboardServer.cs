using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Core.Access;
using Rampart.Server.Access;
using Rampart.Server.Monitor;
using Rampart.Testing;

namespace Rampart.Dashboard.Tests;

/// <summary>
/// The real server on a 127.0.0.1 port with a fresh SQLite file, a clock running 1,800 times faster than the real one
/// (<see cref="AcceleratedTime"/>), an admin, a read and an ingest key, and one experiment on
/// the simulated provider filled by simulated users through the gateway (with their feedback), advanced once between
/// two waves of traffic. The rollout monitor rolls back variant_b (25% errors) as soon as its always-valid test says so
/// (a check_interval of 30 minutes is a second of real time); the fixture makes sure it has before the tests start.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    public const string Key = "dashboard-test";

    /// <summary>A second experiment, running without traffic, for the tests that change state through the page.</summary>
    public const string ControlsKey = "dashboard-controls";

    /// <summary>A third experiment at its shadow stage, its served and shadow calls (and the judge's verdicts on both) posted as events.</summary>
    public const string ShadowKey = "dashboard-shadow";

    /// <summary>A fourth experiment whose exposures carry a country and a plan (its <c>segments</c>), posted as events, for the Segments picker.</summary>
    public const string SegmentsKey = "dashboard-segments";

    /// <summary>The units posted to <see cref="SegmentsKey"/>: 260 in FR, 40 in US (pooled into <c>other</c>).</summary>
    public const int SegmentUnits = 300;

    /// <summary>The pairs posted to <see cref="ShadowKey"/>.</summary>
    public const int ShadowPairs = 40;
    public const string AdminKey = "rpk_dashboard-admin-0123456789abcdef";
    public const string ReadKey = "rpk_dashboard-read-0123456789abcdef";
    public const string IngestKey = "rpk_dashboard-ingest-0123456789abcdef";
    public const int Units = 300;

    private const string Experiment = """
        { "key": "dashboard-test", "name": "Dashboard test", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "gpt-4", "system_prompt": "Be concise.",
                           "params": { "sim": { "latency_ms_median": 800, "error_rate": 0.01, "satisfaction": 0.72, "quality": 0.8 } } },
            "variant_a": { "provider": "sim", "model": "gpt-4", "system_prompt": "Be warm.",
                           "params": { "sim": { "latency_ms_median": 900, "error_rate": 0.01, "satisfaction": 0.86, "quality": 0.85 } } },
            "variant_b": { "provider": "sim", "model": "gpt-4-turbo-preview", "system_prompt": "Be brief.",
                           "params": { "sim": { "latency_ms_median": 500, "error_rate": 0.25, "satisfaction": 0.70, "quality": 0.6 } } } },
          "stages": [ { "weights": { "control": 50, "variant_a": 25, "variant_b": 25 } },
                      { "weights": { "control": 40, "variant_a": 30, "variant_b": 30 } } ],
          "primary_score": "user_satisfaction",
          "judges": [ { "name": "helpfulness", "provider": "sim", "model": "sim-judge", "sample_rate": 1 } ],
          "guardrails": { "check_interval": "30m" } }
        """;

    private const string ShadowExperiment = """
        { "key": "dashboard-shadow", "name": "Dashboard shadow", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "gpt-4", "system_prompt": "Be concise." },
            "variant_a": { "provider": "sim", "model": "gpt-4", "system_prompt": "Be warm." } },
          "stages": [ { "shadow": { "variants": ["variant_a"], "sample_rate": 1 }, "min_duration": "1d" },
                      { "weights": { "control": 50, "variant_a": 50 } } ],
          "primary_score": "user_satisfaction",
          "judges": [ { "name": "helpfulness", "provider": "sim", "model": "sim-judge", "sample_rate": 1 } ],
          "advance": "manual" }
        """;

    private const string SegmentsExperiment = """
        { "key": "dashboard-segments", "name": "Dashboard segments", "control": "control",
          "variants": {
            "control":   { "provider": "sim", "model": "gpt-4", "system_prompt": "Be concise." },
            "variant_a": { "provider": "sim", "model": "gpt-4", "system_prompt": "Be warm." } },
          "stages": [ { "weights": { "control": 50, "variant_a": 50 } } ],
          "primary_score": "user_satisfaction",
          "segments": ["country", "plan"],
          "advance": "manual" }
        """;

    private readonly TempDirectory folder = new();
    private WebApplicationFactory<Program>? factory;

    public Uri Address { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Read { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["storage:sqlite"] = folder.File("rampart.db"),
            ["RAMPART_ADMIN_KEY"] = AdminKey,
        };
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            builder.ConfigureTestServices(s =>
            {
                s.AddSingleton(new ServerConsole(TextWriter.Null));
                s.AddSingleton<TimeProvider>(new AcceleratedTime());
            });
        });
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
        await AddKeyAsync(ReadKey, "dashboard", KeyScope.Read);
        await AddKeyAsync(IngestKey, "app", KeyScope.Ingest);
        Admin = Client(AdminKey);
        Read = Client(ReadKey);

        (await Admin.PostAsync("/api/experiments", new StringContent(Experiment, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await Admin.PostAsync($"/api/experiments/{Key}/start", null)).EnsureSuccessStatusCode();
        var controls = Experiment.Replace($"\"{Key}\"", $"\"{ControlsKey}\"", StringComparison.Ordinal).Replace("Dashboard test", "Dashboard controls", StringComparison.Ordinal);
        (await Admin.PostAsync("/api/experiments", new StringContent(controls, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await Admin.PostAsync($"/api/experiments/{ControlsKey}/start", null)).EnsureSuccessStatusCode();
        await PostShadowAsync();
        await PostSegmentsAsync();
        var feedback = await SimulateAsync(0, Units / 2);
        (await Admin.PostAsync($"/api/experiments/{Key}/advance", null)).EnsureSuccessStatusCode();
        feedback += await SimulateAsync(Units / 2, Units);
        await WaitForFeedbackAsync(feedback);
        await WaitForJudgeAsync(feedback);
        // The hosted monitor checks every second of real time as well; while one of its checks holds the experiment's
        // lease, a check from here skips it. So check, and look again, until variant_b is rolled back (or 15 s pass).
        var monitor = factory.Services.GetRequiredService<RolloutMonitor>();
        var experiment = default(JsonElement);
        await Eventually.TrueAsync(async () =>
        {
            await monitor.CheckAllAsync();
            experiment = await GetJsonAsync($"/api/experiments/{Key}");
            return VariantBRolledBack(experiment);
        }, failure: async () =>
        {
            var results = await GetJsonAsync($"/api/experiments/{Key}/results");
            var b = results.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "variant_b");
            return $"the monitor did not roll back variant_b ({b.GetProperty("errors")} errors in {b.GetProperty("requests")} requests): {experiment}";
        });
    }

    private static bool VariantBRolledBack(JsonElement experiment) => experiment.GetProperty("rolled_back").TryGetProperty("variant_b", out _);

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Read.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    // Each unit sends two chat calls through the gateway and rates every answer it got, as the simulator's answer says.
    private async Task<int> SimulateAsync(int firstUnit, int endUnit)
    {
        using var ingest = Client(IngestKey);
        var feedback = 0;
        await Parallel.ForEachAsync(Enumerable.Range(firstUnit, endUnit - firstUnit), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (unit, ct) =>
        {
            for (var call = 0; call < 2; call++)
            {
                var body = new { model = $"experiment:{Key}", user = $"user-{unit}", messages = new[] { new { role = "user", content = "Where is my order?" } } };
                using var response = await ingest.PostAsJsonAsync("/v1/chat/completions", body, ct);
                if (!response.IsSuccessStatusCode)
                {
                    continue; // A simulated failure: logged as a completion with its error, and nothing to rate.
                }

                var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
                var satisfied = answer.GetProperty("rampart_sim").GetProperty("satisfied").GetBoolean();
                var requestId = response.Headers.GetValues("X-Rampart-Request-Id").Single();
                using var rated = await ingest.PostAsJsonAsync(
                    "/api/feedback", new { request_id = requestId, score = "user_satisfaction", value = satisfied ? 1 : 0 }, ct);
                rated.EnsureSuccessStatusCode();
                Interlocked.Increment(ref feedback);
            }
        });
        return feedback;
    }

    // The shadow stage's events as the gateway writes them (docs/shadow.md): each served call carries its pair id, the shadow
    // call of variant_a is a shadow completion with that pair id, and the judge rates both answers.
    private async Task PostShadowAsync()
    {
        (await Admin.PostAsync("/api/experiments", new StringContent(ShadowExperiment, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await Admin.PostAsync($"/api/experiments/{ShadowKey}/start", null)).EnsureSuccessStatusCode();
        var lines = new StringBuilder();
        for (var i = 0; i < ShadowPairs; i++)
        {
            var common = $"\"experiment\":\"{ShadowKey}\",\"unit\":\"shadow-user-{i}\",\"ts\":\"2026-11-01T00:{i / 60:00}:{i % 60:00}Z\"";
            var served = $"\"variant\":\"control\",\"request_id\":\"sr-{i}\"";
            var shadow = $"\"variant\":\"variant_a\",\"request_id\":\"sr-{i}-a\",\"shadow\":true,\"pair_id\":\"sr-{i}\"";
            lines.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"completion\",{common},{served},\"pair_id\":\"sr-{i}\",\"stage\":0,\"latency_ms\":{800 + (i * 5)},\"cost_usd\":0.001,\"error\":{(i % 10 == 3 ? "\"boom\"" : "null")}}}\n");
            lines.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"completion\",{common},{shadow},\"stage\":0,\"latency_ms\":{900 + (i * 5)},\"cost_usd\":0.002,\"error\":{(i % 8 == 5 ? "\"boom\"" : "null")}}}\n");
            lines.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"feedback\",{common},{served},\"score\":\"judge_helpfulness\",\"value\":0.75,\"source\":\"judge\",\"model\":\"sim-judge\"}}\n");
            lines.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"feedback\",{common},{shadow},\"score\":\"judge_helpfulness\",\"value\":{(i % 2 == 0 ? "1" : "0.75")},\"source\":\"judge\",\"model\":\"sim-judge\"}}\n");
        }

        using var ingest = Client(IngestKey);
        (await ingest.PostAsync("/api/events", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();
        long pairs = 0;
        await Eventually.TrueAsync(async () =>
        {
            var results = await GetJsonAsync($"/api/experiments/{ShadowKey}/results");
            pairs = results.TryGetProperty("shadow", out var shadow) ? shadow.GetProperty("variants")[0].GetProperty("pairs").GetInt64() : 0;
            return pairs == ShadowPairs;
        }, failure: () => Task.FromResult($"the results counted {pairs} of the {ShadowPairs} shadow pairs posted"));
    }

    // Exposures carrying the unit's attributes (as /api/assign stores them), then one rating each: in FR variant_a satisfies 80%
    // of its units against the control's 50%; in US both satisfy half.
    private async Task PostSegmentsAsync()
    {
        (await Admin.PostAsync("/api/experiments", new StringContent(SegmentsExperiment, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await Admin.PostAsync($"/api/experiments/{SegmentsKey}/start", null)).EnsureSuccessStatusCode();
        var lines = new StringBuilder();
        for (var i = 0; i < SegmentUnits; i++)
        {
            var (variant, country) = (i % 2 == 0 ? "control" : "variant_a", i < 260 ? "FR" : "US");
            var satisfied = country == "FR" && variant == "variant_a" ? i / 2 % 5 < 4 : i / 2 % 2 == 0;
            var common = $"\"experiment\":\"{SegmentsKey}\",\"variant\":\"{variant}\",\"unit\":\"segment-user-{i}\"";
            lines.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"exposure\",{common},\"ts\":\"2026-11-01T01:00:00Z\",\"attributes\":{{\"country\":\"{country}\",\"plan\":\"pro\"}}}}\n");
            lines.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"feedback\",{common},\"ts\":\"2026-11-01T01:00:01Z\",\"score\":\"user_satisfaction\",\"value\":{(satisfied ? 1 : 0)}}}\n");
        }

        using var ingest = Client(IngestKey);
        (await ingest.PostAsync("/api/events", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();
        long units = 0;
        await Eventually.TrueAsync(async () =>
        {
            var results = await GetJsonAsync($"/api/experiments/{SegmentsKey}/results");
            units = results.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("units").GetInt64());
            return units == SegmentUnits;
        }, failure: () => Task.FromResult($"the results counted {units} of the {SegmentUnits} units posted"));
    }

    private async Task WaitForFeedbackAsync(int expected)
    {
        long counted = 0;
        await Eventually.TrueAsync(async () =>
        {
            var results = await GetJsonAsync($"/api/experiments/{Key}/results");
            counted = results.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("scores").GetProperty("user_satisfaction").GetProperty("n").GetInt64());
            return counted == expected;
        }, failure: () => Task.FromResult($"the results counted {counted} of the {expected} feedback events sent"));
    }

    // The sim judge rates every answered call (sample_rate 1) off the request path: as many verdicts as rated answers.
    private async Task WaitForJudgeAsync(int expected)
    {
        long judged = 0;
        await Eventually.TrueAsync(async () =>
        {
            var results = await GetJsonAsync($"/api/experiments/{Key}/results");
            judged = results.TryGetProperty("judges", out var judges)
                ? judges[0].GetProperty("variants").EnumerateObject().Sum(v => v.Value.GetProperty("n").GetInt64())
                : 0;
            return judged == expected;
        }, failure: () => Task.FromResult($"the results counted {judged} judge verdicts of the {expected} answered calls"));
    }

    private async Task AddKeyAsync(string secret, string name, KeyScope scope)
    {
        var key = AccessKeys.Describe(secret, name, scope, SeedExperiment.Epoch);
        await factory!.Services.GetRequiredService<IKeyStore>().CreateAsync(key);
        factory.Services.GetRequiredService<KeyRing>().Add(key);
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        Read?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
