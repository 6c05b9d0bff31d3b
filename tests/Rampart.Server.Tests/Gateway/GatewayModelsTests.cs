using System.Net;
using System.Text.Json;

namespace Rampart.Server.Tests.Gateway;

public sealed class GatewayModelsTests
{
    [Fact]
    public async Task Models_ListsRunningExperimentsInOpenAiListFormat()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim("running-one"));
        await sut.CreateExperimentAsync(TestExperiments.Sim("draft-one"), start: false);

        using var response = await sut.Ingest.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("list", body.GetProperty("object").GetString());
        var model = Assert.Single(body.GetProperty("data").EnumerateArray());
        var created = (await sut.Experiments.FindAsync("running-one"))!.CreatedAt.ToUnixTimeSeconds();
        Assert.Equal(("experiment:running-one", "model", created, "rampart"),
            (model.GetProperty("id").GetString(), model.GetProperty("object").GetString(), model.GetProperty("created").GetInt64(), model.GetProperty("owned_by").GetString()));
    }

    [Fact]
    public async Task Model_RunningExperiment_IsFoundAndOtherwiseIs404ModelNotFound()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim("running-one"));
        await sut.CreateExperimentAsync(TestExperiments.Sim("draft-one"), start: false);

        using var found = await sut.Ingest.GetAsync("/v1/models/experiment:running-one");
        var draft = await ErrorAsync(sut.Ingest, HttpMethod.Get, "/v1/models/experiment:draft-one", HttpStatusCode.NotFound);
        var other = await ErrorAsync(sut.Ingest, HttpMethod.Get, "/v1/models/gpt-4o", HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("experiment:running-one", JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        Assert.Equal("model_not_found", draft.GetProperty("code").GetString());
        Assert.Contains("is draft, not running", draft.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(("model_not_found", "model"), (other.GetProperty("code").GetString(), other.GetProperty("param").GetString()));
    }

    [Theory]
    [InlineData("POST", "/v1/responses")]
    [InlineData("POST", "/v1/embeddings")]
    [InlineData("GET", "/v1/anything/else")]
    public async Task UnknownV1Path_Is404InOpenAiEnvelope(string method, string path)
    {
        await using var sut = await TestHost.StartAsync();

        var error = await ErrorAsync(sut.Ingest, new HttpMethod(method), path, HttpStatusCode.NotFound);

        Assert.Equal(("invalid_request_error", "unknown_url"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Contains($"{method} {path}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions", "POST")]
    [InlineData("POST", "/v1/models", "GET")]
    public async Task KnownV1PathWithAnotherMethod_Is405InOpenAiEnvelope(string method, string path, string allowed)
    {
        await using var sut = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await sut.Ingest.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal([allowed], response.Content.Headers.Allow);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("method_not_allowed", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task V1Paths_WithoutAKey_Are401InOpenAiEnvelope()
    {
        await using var sut = await TestHost.StartAsync();

        var models = await ErrorAsync(sut.Anonymous, HttpMethod.Get, "/v1/models", HttpStatusCode.Unauthorized);
        var unknown = await ErrorAsync(sut.Anonymous, HttpMethod.Post, "/v1/embeddings", HttpStatusCode.Unauthorized);
        using var read = await sut.Read.GetAsync("/v1/models");

        Assert.Equal("invalid_api_key", models.GetProperty("code").GetString());
        Assert.Equal("invalid_api_key", unknown.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
    }

    private static async Task<JsonElement> ErrorAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = TestHost.Json("{}");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
    }
}
