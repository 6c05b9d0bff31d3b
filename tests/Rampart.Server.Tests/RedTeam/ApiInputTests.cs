using System.Net;
using Rampart.Server.Tests.Experiments;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// Odd input to the control plane and the ingest API, through a real Kestrel on 127.0.0.1: each is a 4xx naming the field,
/// or is served as documented; never a 5xx, a stored value the readers later refuse, or a silently changed number.
/// </summary>
public sealed class ApiInputTests
{
    private const string Key = "api-input";

    [Theory]
    [InlineData("1e27")]
    [InlineData("79228162514264337593543950335")]
    public async Task CreateAndSetStage_WeightPastAHundredTimesDecimalRange_Is400NamingTheWeight(string weight)
    {
        await using var sut = await TestHost.StartAsync(kestrel: true);
        var json = TestExperiments.Sim(Key).Replace("\"control\": 80,", $"\"control\": {weight},", StringComparison.Ordinal);

        var created = await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Post, "/api/experiments", json, HttpStatusCode.BadRequest);
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var staged = await ControlPlaneTests.SendAsync(sut.Admin, HttpMethod.Put, $"/api/experiments/{Key}/stage",
            $$$"""{"weights":{"control":{{{weight}}},"variant_a":0,"variant_b":0}}""", HttpStatusCode.BadRequest);

        Assert.True(created.GetProperty("errors").TryGetProperty("stages[0].weights.control", out _), created.ToString());
        Assert.True(staged.GetProperty("errors").TryGetProperty("weights.control", out _), staged.ToString());
        Assert.Equal([8000, 1000, 1000], (await sut.Experiments.FindAsync(Key))!.Current.Table.Counts);
    }
}
