using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rampart.Core.Events;
using Rampart.Server.Tests.Events;

namespace Rampart.Server.Tests.Http;

/// <summary>
/// For every endpoint, about a thousand generated malformed requests: each answers 4xx — problem details naming the
/// field for /api, OpenAI's envelope for /v1 — never 5xx, and none writes anything.
/// </summary>
public sealed class BadInputTests
{
    private const int PerEndpoint = 1_000;
    private const int MaxBody = 4_096;
    private const string Key = "bad-input";
    private static readonly JsonNode?[] NotStrings = [42, true, new JsonArray(), new JsonObject(), -1.5];
    private static readonly JsonNode?[] NotNumbers = ["1", "NaN", new JsonArray(), new JsonObject()];

    [Fact]
    public Task Assign_MalformedRequests_Are4xxProblemsAndWriteNothing() => RunAsync("/api/assign", HttpMethod.Post,
        """{"experiment":"bad-input","unit":"user-1"}""",
        new() { ["experiment"] = [.. NotStrings, "no-such-experiment", "BAD KEY", ""], ["unit"] = [.. NotStrings, ""] },
        ["experiment", "unit"]);

    [Fact]
    public Task Feedback_MalformedRequests_Are4xxProblemsAndWriteNothing() => RunAsync("/api/feedback", HttpMethod.Post,
        """{"request_id":"r-1","score":"user_satisfaction","value":1,"comment":"ok"}""",
        new() { ["request_id"] = [.. NotStrings, ""], ["score"] = [.. NotStrings, ""], ["value"] = NotNumbers, ["comment"] = [42, new JsonArray()] },
        ["request_id", "score", "value"]);

    [Fact]
    public Task Create_MalformedExperiments_Are4xxProblemsAndCreateNothing() => RunAsync("/api/experiments", HttpMethod.Post,
        TestExperiments.Sim("created-here").ReplaceLineEndings(" "),
        new()
        {
            ["key"] = [.. NotStrings, "Bad Key", ""], ["control"] = [.. NotStrings, "nope"], ["variants"] = [42, "x", new JsonArray(), new JsonObject()],
            ["stages"] = [42, "x", new JsonObject(), new JsonArray(), JsonNode.Parse("""[{"weights":{"control":50}}]""")],
            ["logging"] = [42, JsonNode.Parse("""{"content":"some"}""")], ["advance"] = [42, "sometimes"],
        },
        ["key", "control", "variants", "stages"]);

    [Fact]
    public Task Rollback_MalformedRequests_Are4xxProblemsAndChangeNothing() => RunAsync($"/api/experiments/{Key}/rollback", HttpMethod.Post,
        """{"variant":"variant_a","reason":"errors"}""",
        new() { ["variant"] = [.. NotStrings, "nope", "control", ""], ["reason"] = [.. NotStrings, "", "   "] },
        ["variant", "reason"]);

    [Fact]
    public Task Promote_MalformedRequests_Are4xxProblemsAndChangeNothing() => RunAsync($"/api/experiments/{Key}/promote", HttpMethod.Post,
        """{"variant":"variant_a","reason":"best"}""",
        new() { ["variant"] = [.. NotStrings, "nope", ""], ["reason"] = [42, ""] },
        ["variant"]);

    [Fact]
    public Task Stage_MalformedRequests_Are4xxProblemsAndChangeNothing() => RunAsync($"/api/experiments/{Key}/stage", HttpMethod.Put,
        """{"weights":{"control":50,"variant_a":25,"variant_b":25}}""",
        new()
        {
            ["weights"] = [42, "x", new JsonArray(), new JsonObject(),
                JsonNode.Parse("""{"control":50,"variant_a":25,"variant_b":20}"""), JsonNode.Parse("""{"control":50,"variant_a":25,"nope":25}"""),
                JsonNode.Parse("""{"control":150,"variant_a":-25,"variant_b":-25}"""), JsonNode.Parse("""{"control":33.333,"variant_a":33.333,"variant_b":33.334}"""),
                JsonNode.Parse("""{"control":"50","variant_a":25,"variant_b":25}"""), JsonNode.Parse("""{"control":50,"variant_a":50}"""),
                JsonNode.Parse("""{"a,b=3":50,"variant_a":25,"variant_b":25}""")],
            ["reason"] = [42, ""],
        },
        ["weights"]);

    [Fact]
    public Task Advance_MalformedRequests_Are4xxProblemsAndChangeNothing() => RunAsync($"/api/experiments/{Key}/advance", HttpMethod.Post,
        """{"reason":"ready"}""",
        new() { ["reason"] = [42, new JsonArray(), ""] },
        []);

    [Fact]
    public Task Events_BodiesWithoutOneValidEvent_Are400ProblemsAndStoreNothing() => RunAsync("/api/events", HttpMethod.Post,
        DataPlaneTests.Completion("u1", "r-1", experiment: Key),
        new()
        {
            ["type"] = [.. NotStrings, "click"], ["experiment"] = [.. NotStrings, "no-such-experiment", "BAD"], ["variant"] = [.. NotStrings, "nope"],
            ["unit"] = [.. NotStrings, ""], ["ts"] = [42, "yesterday", ""], ["latency_ms"] = [.. NotNumbers, -1, "fast"],
            ["prompt_tokens"] = [-3, 1.5, "many"], ["cost_usd"] = [-0.5, "free"],
        },
        ["type", "experiment", "variant", "unit", "ts", "latency_ms"], events: true);

    [Fact]
    public Task ChatCompletions_MalformedRequests_Are4xxInOpenAiEnvelopeAndLogNothing() => RunAsync("/v1/chat/completions", HttpMethod.Post,
        """{"model":"experiment:bad-input","user":"u-1","messages":[{"role":"user","content":"hi"}]}""",
        new()
        {
            ["model"] = [42, true, new JsonArray(), new JsonObject(), "experiment:no-such-experiment", "experiment:"],
            ["user"] = [42, true, new JsonArray(), new JsonObject(), ""], ["messages"] = [42, "hi", new JsonObject()], ["stream"] = [42, "yes"],
        },
        ["messages", "user"], gateway: true);

    [Fact]
    public async Task ReadEndpoints_UnknownExperimentOrBadKey_Are404Problems()
    {
        await using var sut = await StartAsync();
        var random = new Random(11);
        foreach (var i in Enumerable.Range(0, PerEndpoint))
        {
            var key = i % 3 == 0 ? $"missing-{random.Next()}" : i % 3 == 1 ? $"BAD%20KEY{random.Next()}" : new string('k', 65 + random.Next(10));
            var path = (i % 4) switch
            {
                0 => $"/api/experiments/{key}",
                1 => $"/api/experiments/{key}/results",
                2 => $"/api/experiments/{key}/audit",
                _ => $"/api/experiments/{key}/start",
            };
            using var response = i % 4 == 3 ? await sut.Admin.PostAsync(path, null) : await sut.Admin.GetAsync(path);
            await AssertProblemAsync(response, path);
        }
    }

    private static async Task RunAsync(
        string path, HttpMethod method, string validBody, Dictionary<string, JsonNode?[]> badValues, string[] required, bool events = false, bool gateway = false)
    {
        await using var sut = await StartAsync();
        var before = await SnapshotAsync(sut);
        var requests = new MalformedRequests(path.Length, validBody, badValues, required, MaxBody, unknownFieldsAllowed: events || gateway);
        var random = new Random(path.Length);
        for (var i = 0; i < PerEndpoint; i++)
        {
            var (body, what) = requests.Next();
            if (events && what is not ("not an object" or "over the size limit" or "truncated"))
            {
                // JSON Lines where every line is bad in its own way.
                body = [.. Enumerable.Range(0, random.Next(1, 4)).SelectMany(_ => requests.Next().Body.Where(b => b != (byte)'\n').Append((byte)'\n'))];
            }

            var client = (i % 50) switch { 0 => sut.Anonymous, 1 => gateway || events || path.EndsWith("feedback", StringComparison.Ordinal) || path.EndsWith("assign", StringComparison.Ordinal) ? sut.Read : sut.Ingest, _ => Client(sut, path) };
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.SendAsync(request);
            if (events && response.StatusCode == HttpStatusCode.OK)
            {
                // A JSON Lines body whose every line is malformed can still hold an empty line only: that is not a 200 either.
                Assert.Fail($"{what}: 200 for {System.Text.Encoding.UTF8.GetString(body)}");
            }

            if (gateway)
            {
                await AssertOpenAiErrorAsync(response, what);
            }
            else
            {
                await AssertProblemAsync(response, what);
            }
        }

        Assert.Equal(before, await SnapshotAsync(sut));
    }

    private static HttpClient Client(TestHost host, string path) =>
        path.StartsWith("/api/experiments", StringComparison.Ordinal) ? host.Admin : host.Ingest;

    private static async Task<TestHost> StartAsync()
    {
        var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["server:max_body_bytes"] = MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await host.CreateExperimentAsync(TestExperiments.Sim(Key));
        return host;
    }

    private static async Task<string> SnapshotAsync(TestHost host)
    {
        var experiments = (await host.Experiments.ListAsync()).Experiments;
        var audit = await host.Experiments.AuditAsync(Key);
        await Task.Delay(50);
        var events = await host.StoredAsync(Key);
        return $"{experiments.Count} experiments, version {experiments.Single(e => e.Key == Key).Version}, {audit.Count} audit entries, {events.Count} events";
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status is >= 400 and < 500, $"{what}: {status} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        var fields = problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(e => e.Name).ToList()
            : [problem.GetProperty("field").GetString()!];
        Assert.NotEmpty(fields);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.True(fields.Any(f => detail.Contains(f, StringComparison.Ordinal)), $"{what}: '{detail}' names none of {string.Join(", ", fields)}");
    }

    private static async Task AssertOpenAiErrorAsync(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status is >= 400 and < 500, $"{what}: {status} {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
    }
}
