using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>The red team's smaller findings about configuration: weak admin keys and experiments on unknown providers.</summary>
public sealed class FindingsTests
{
    [Theory]
    [InlineData("rpk_0123456789abcdef")]
    [InlineData("correct-horse-battery-staple-31")]
    public async Task Start_AdminKeyUnder32Characters_StopsNamingTheVariableAndTheMinimum(string weak)
    {
        using var folder = new TempDirectory();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = RampartServer.Build(["--db", folder.File("x.db"), "--urls", "http://127.0.0.1:0"],
                b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RAMPART_ADMIN_KEY"] = weak }));
            await app.StartAsync();
        });

        Assert.Contains("RAMPART_ADMIN_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(weak, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AdminKeyOf32Characters_Starts()
    {
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?> { ["RAMPART_ADMIN_KEY"] = "rpk_exactly-32-characters-long-x" });

        using var response = await sut.Client("rpk_exactly-32-characters-long-x").GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreateExperiment_VariantOnAnUnconfiguredProvider_Is400NamingTheVariantAndTheConfiguredProviders()
    {
        await using var sut = await TestHost.StartAsync(new Dictionary<string, string?> { ["providers:local:type"] = "simulated" });
        var json = TestExperiments.Sim("unknown-provider").Replace(
            "\"variant_a\": { \"provider\": \"sim\"", "\"variant_a\": { \"provider\": \"openia\"", StringComparison.Ordinal);

        using var response = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'variants.variant_a.provider'", detail, StringComparison.Ordinal);
        Assert.Contains("'openia'", detail, StringComparison.Ordinal);
        Assert.Contains("'local', 'sim'", detail, StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("variants.variant_a.provider", out _));
        Assert.Empty((await sut.Experiments.ListAsync()).Experiments);
    }
}
