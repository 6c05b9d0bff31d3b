using System.Net;
using Rampart.Core.Events;
using Rampart.Server.Tests.Events;

namespace Rampart.Server.Tests.Gateway;

/// <summary>The gateway reads a unit's attributes from the body's metadata and the X-Rampart-Attributes header (docs/targeting.md).</summary>
public sealed class TargetedGatewayTests
{
    private const string Key = "targeted-gateway";
    private const string Messages = """[{"role":"user","content":"Where is my order?"}]""";

    [Fact]
    public async Task ChatCompletions_MetadataAndHeader_DecideTargetingAndTheExposureKeepsWhatTheExperimentReads()
    {
        await using var sut = await TestHost.StartAsync();
        var targeted = TestExperiments.Sim(Key).TrimEnd()[..^1]
            + """, "targeting": {"all": [{"attribute": "plan", "in": ["pro"]}, {"attribute": "app", "semver_gte": "2.0.0"}]}, "segments": ["country"]}""";
        await sut.CreateExperimentAsync(targeted);

        using var free = await SendAsync(sut, "u-free", """{"plan":"free","country":"FR"}""", """{"app":"2.1.0"}""");
        using var pro = await SendAsync(sut, "u-pro", """{"plan":"pro","country":"FR","tier":"x"}""", """{"app":"2.1.0"}""");
        using var old = await SendAsync(sut, "u-old", """{"plan":"pro"}""", """{"app":"1.9.9"}""");
        using var overridden = await SendAsync(sut, "u-over", """{"plan":"free"}""", """{"plan":"pro","app":"3.0.0"}""");
        using var bad = await SendAsync(sut, "u-bad", """{"plan":["pro"]}""", null);
        using var badHeader = await SendAsync(sut, "u-bad", null, "not json");

        Assert.Equal(("control", "not_targeted"), (Header(free, "X-Rampart-Variant"), Header(free, "X-Rampart-Assignment")));
        Assert.Equal("not_targeted", Header(old, "X-Rampart-Assignment"));
        Assert.NotEqual("not_targeted", Header(pro, "X-Rampart-Assignment"));
        Assert.NotEqual("not_targeted", Header(overridden, "X-Rampart-Assignment"));   // the header's names win over metadata's
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("metadata.plan must be a string, a finite number or a boolean", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badHeader.StatusCode);
        Assert.Contains("'X-Rampart-Attributes' must be a JSON object of attributes", await badHeader.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var events = await DataPlaneTests.EventuallyAsync(sut, Key, e => e.Count(x => x.Type == EventType.Exposure) == 2);
        var exposures = events.Where(e => e.Type == EventType.Exposure).ToDictionary(e => e.Unit);
        Assert.Equal(["u-over", "u-pro"], exposures.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"plan":"pro","app":"2.1.0","country":"FR"}""", exposures["u-pro"].Attributes);   // not tier: the experiment does not read it
        Assert.DoesNotContain(events, e => e.Unit is "u-free" or "u-old");
    }

    [Theory]
    [InlineData(null, """{"plan":"\ud800"}""", "X-Rampart-Attributes.plan")]
    [InlineData(null, """{"\udc00":"pro"}""", "X-Rampart-Attributes")]
    [InlineData("\"pro\"", null, "metadata")]
    [InlineData("[1]", null, "metadata")]
    [InlineData("""{"plan":{"tier":"pro"}}""", null, "metadata.plan")]
    [InlineData(null, """{"plan":1e309}""", "X-Rampart-Attributes.plan")]
    public async Task ChatCompletions_UnusableAttributes_Are400NamingTheField(string? metadata, string? header, string field)
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        using var response = await SendAsync(sut, "u-1", metadata, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"param\":\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"n":1e308,"big":9223372036854775807}""", null)]
    [InlineData(null, """{"n":1e308,"big":9223372036854775807}""")]
    public async Task ChatCompletions_LargeFiniteNumbers_AreAttributes(string? metadata, string? header)
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        using var response = await SendAsync(sut, "u-1", metadata, header);

        Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_MoreThanTheMostAttributes_Is400()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var many = "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"a{i}\":{i}")) + "}";

        using var response = await SendAsync(sut, "u-1", many, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 32 attributes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_AttributesHeaderOf100KB_KestrelRefusesItBeforeTheGateway()
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var huge = "{\"plan\":\"" + new string('x', 100_000) + "\"}";

        using var response = await SendAsync(sut, "u-1", null, huge);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);   // Kestrel's 32 KB default total
    }

    private static async Task<HttpResponseMessage> SendAsync(TestHost sut, string unit, string? metadata, string? header)
    {
        var body = metadata is null
            ? $$"""{"model":"experiment:{{Key}}","user":"{{unit}}","messages":{{Messages}}}"""
            : $$"""{"model":"experiment:{{Key}}","user":"{{unit}}","metadata":{{metadata}},"messages":{{Messages}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestHost.Json(body) };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Rampart-Attributes", header);
        }

        return await sut.Ingest.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));
}
