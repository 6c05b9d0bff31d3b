using System.Net;
using System.Text.Json;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// Names are matched to their true end: .NET's <c>$</c> also matches before a final newline, so <c>"simx\n"</c> passed
/// as a key, made a second experiment beside <c>simx</c>, and the gateway answered 500 for it.
/// </summary>
public sealed class NamePatternTests
{
    [Theory]
    [InlineData("simx\\n")]
    [InlineData("simx\\r\\n")]
    [InlineData("simx\\u000a")]
    public async Task CreateExperiment_KeyWithATrailingNewline_Is400NamingTheKey(string key)
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(TestExperiments.Sim(key)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await sut.Experiments.ListAsync()).Experiments);
    }

    [Fact]
    public async Task CreateExperiment_VariantNameWithATrailingNewline_Is400()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Admin.PostAsync("/api/experiments",
            TestHost.Json(TestExperiments.Sim("simx").Replace("\"variant_b\"", "\"variant_b\\n\"", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await sut.Experiments.ListAsync()).Experiments);
    }

    [Fact]
    public async Task Gateway_ExperimentNameWithATrailingNewline_Is404NotA500()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim("simx"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json("""{"model":"experiment:simx\n","user":"u-1","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("experiment_not_found", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/api/experiments/simx%0A")]
    [InlineData("/api/experiments/simx%0A/audit")]
    public async Task Show_KeyWithATrailingNewline_Is404(string path)
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim("simx"));

        using var response = await sut.Read.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
