using System.Net;
using System.Text.Json;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// JSON that parses but cannot be used: a lone surrogate escape (<c>"\ud800"</c>, not text) or a property given twice.
/// Every endpoint taking a body answers 400 naming the problem; before, six of them answered 500.
/// </summary>
public sealed class JsonInputTests
{
    private const string Key = "json-input";

    public static TheoryData<string, string, string, string> Bodies => new()
    {
        // method, path, body, what the answer must name
        { "POST", "/api/experiments", TestExperiments.Sim("other").Replace("\"Be warm.\"", "\"\\ud800\"", StringComparison.Ordinal), "surrogate" },
        { "POST", "/api/experiments", TestExperiments.Sim("other").Replace("\"key\": \"other\",", "\"key\": \"other\", \"key\": \"other2\",", StringComparison.Ordinal), "twice" },
        // A variant's params are kept as given: a lone surrogate there failed (500) when the definition was stored, and a
        // param given twice was stored twice. Named by their path.
        { "POST", "/api/experiments", TestExperiments.Sim("other").Replace("\"latency_ms_median\": 900", "\"latency_ms_median\": 900, \"note\": \"\\ud800\"", StringComparison.Ordinal), "variants.variant_a.params.sim.note" },
        { "POST", "/api/experiments", TestExperiments.Sim("other").Replace("\"latency_ms_median\": 900", "\"latency_ms_median\": 900, \"latency_ms_median\": 5", StringComparison.Ordinal), "variants.variant_a.params.sim.latency_ms_median" },
        { "POST", "/api/experiments", TestExperiments.Sim("other").Replace("\"logging\":", "\"targeting\": {\"all\": [{\"attribute\": \"plan\", \"attribute\": \"country\", \"eq\": \"FR\"}]}, \"logging\":", StringComparison.Ordinal), "targeting.all[0].attribute" },
        { "POST", "/api/assign", """{"experiment":"json-input","unit":"\ud800"}""", "surrogate" },
        { "POST", "/api/assign", """{"experiment":"json-input","unit":"u-1","unit":"u-2"}""", "twice" },
        { "POST", "/api/assign", """{"experiment":"json-input","unit":"u-1","\udc00":1}""", "surrogate" },
        { "POST", "/api/assign", """{"experiment":"json-input","unit":"u-1","attributes":{"plan":"\ud800"}}""", "surrogate" },
        { "POST", "/api/assign", """{"experiment":"json-input","unit":"u-1","attributes":{"\ud800":"pro"}}""", "surrogate" },
        { "POST", "/v1/chat/completions", """{"model":"experiment:json-input","user":"u-1","metadata":{"plan":"\ud800"},"messages":[{"role":"user","content":"hi"}]}""", "surrogate" },
        { "POST", "/api/events", """[{"type":"exposure","experiment":"json-input","variant":"control","unit":"\ud800","ts":"2026-11-01T10:00:00Z"}]""", "UTF-8" },
        { "POST", "/api/events", """[{"type":"exposure","experiment":"json-input","variant":"control","unit":"u-1","unit":"u-2","ts":"2026-11-01T10:00:00Z"}]""", "twice" },
        { "POST", "/api/events", """{"type":"exposure","experiment":"json-input","variant":"control","unit":"\ud800","ts":"2026-11-01T10:00:00Z"}""", "UTF-8" },
        { "POST", "/api/feedback", """{"request_id":"\ud800","score":"thumbs","value":1}""", "surrogate" },
        { "POST", "/api/feedback", """{"request_id":"r-1","score":"thumbs","value":1,"value":0}""", "twice" },
        { "POST", $"/api/experiments/{Key}/pause", """{"reason":"\ud800"}""", "surrogate" },
        { "POST", $"/api/experiments/{Key}/pause", """{"reason":"a","reason":"b"}""", "twice" },
        { "POST", $"/api/experiments/{Key}/advance", """{"reason":"\udfff"}""", "surrogate" },
        { "POST", $"/api/experiments/{Key}/rollback", """{"variant":"variant_a","reason":"\ud800"}""", "surrogate" },
        { "POST", $"/api/experiments/{Key}/rollback", """{"variant":"variant_a","variant":"control","reason":"r"}""", "twice" },
        { "POST", $"/api/experiments/{Key}/promote", """{"variant":"\ud800"}""", "surrogate" },
        { "PUT", $"/api/experiments/{Key}/stage", """{"weights":{"control":50,"variant_a":25,"variant_b":25},"reason":"\ud800"}""", "surrogate" },
        { "PUT", $"/api/experiments/{Key}/stage", """{"weights":{"control":50,"control":20,"variant_a":25,"variant_b":25}}""", "twice" },
        { "POST", "/v1/chat/completions", """{"model":"experiment:json-input","user":"u-1","messages":[{"role":"user","content":"\ud800"}]}""", "surrogate" },
        { "POST", "/v1/chat/completions", """{"model":"experiment:json-input","model":"gpt-4","user":"u-1","messages":[{"role":"user","content":"Hi"}]}""", "twice" },
        { "POST", "/v1/chat/completions", """{"model":"gpt-4","messages":[{"role":"user","content":"Hi","content":"Ho"}]}""", "twice" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Endpoint_UnusableJson_Is400NamingTheProblem(string method, string path, string body, string named)
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var client = path.StartsWith("/api/experiments", StringComparison.Ordinal) ? sut.Admin : sut.Ingest;

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = TestHost.Json(body) };
        using var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(named, text, StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(text); // the answer itself is valid JSON (the bad text is not echoed raw)
        Assert.Equal([Key], (await sut.Experiments.ListAsync()).Experiments.Select(e => e.Definition.Key)); // nothing created or half-written
    }
}
