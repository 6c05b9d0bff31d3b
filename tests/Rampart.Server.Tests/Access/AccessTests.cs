using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Access;
using Rampart.Server.Access;
using Rampart.Testing;

namespace Rampart.Server.Tests.Access;

public sealed class AccessTests
{
    [Fact]
    public async Task Request_WithoutKey_Is401ProblemNamingAuthorization()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Anonymous.GetAsync("/api/experiments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Authorization", problem.GetProperty("field").GetString());
        Assert.Contains("'Authorization'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Request_WithUnknownKey_Is401()
    {
        await using var sut = await TestHost.StartAsync();
        using var client = sut.Client("rpk_not-a-key-at-all-0123456789");

        using var response = await client.GetAsync("/api/experiments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task KeyCreatedByTheCli_RightAfterAReload_WorksATenthOfASecondLaterNotASecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sut = await TestHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        time.Advance(KeyRing.ReloadInterval);
        using (var reload = await sut.Admin.GetAsync("/api/experiments"))
        {
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        }

        // As `rampart keys create` does: straight into the store, unknown to the running ring.
        const string Secret = "rpk_created-a-moment-ago-by-the-cli-0123456789";
        await sut.Services.GetRequiredService<IKeyStore>().CreateAsync(AccessKeys.Describe(Secret, "checkout-app", KeyScope.Ingest, time.GetUtcNow()));
        using var client = sut.Client(Secret);

        // Within the tenth of a second the copy is fresh enough: an unknown key does not make it re-read the store.
        using var early = await client.GetAsync("/api/experiments");
        time.Advance(KeyRing.UnknownKeyReloadInterval);
        using var later = await client.GetAsync("/api/experiments");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (early.StatusCode, later.StatusCode));
    }

    [Fact]
    public async Task Request_WithWrongScope_Is403Problem()
    {
        await using var sut = await TestHost.StartAsync();

        using var ingestCreates = await sut.Ingest.PostAsync("/api/experiments", TestHost.Json(TestExperiments.Sim("scoped")));
        using var readAssigns = await sut.Read.PostAsync("/api/assign", TestHost.Json("""{"experiment":"scoped","unit":"u"}"""));
        using var ingestReadsResults = await sut.Ingest.GetAsync("/api/experiments/scoped/results");

        foreach (var response in new[] { ingestCreates, readAssigns, ingestReadsResults })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("has scope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdminKey_CallsIngestAndReadEndpoints_Succeeds()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim("admin-all"));

        using var assign = await sut.Admin.PostAsync("/api/assign", TestHost.Json("""{"experiment":"admin-all","unit":"u-1"}"""));
        using var results = await sut.Admin.GetAsync("/api/experiments/admin-all/results");
        using var metrics = await sut.Admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task Request_WithXRampartKeyHeader_IsAccepted()
    {
        await using var sut = await TestHost.StartAsync();
        using var client = sut.Client(null);
        client.DefaultRequestHeaders.Add("X-Rampart-Key", TestHost.ReadKey);

        using var response = await client.GetAsync("/api/experiments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_WithoutKey_IsOk()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Anonymous.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Keys_AreStoredHashed_NeverInClear()
    {
        await using var sut = await TestHost.StartAsync();

        using var connection = new SqliteConnection($"Data Source={sut.DatabasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, hash FROM keys ORDER BY name";
        using var reader = command.ExecuteReader();
        var stored = new Dictionary<string, byte[]>();
        while (reader.Read())
        {
            stored[reader.GetString(0)] = (byte[])reader.GetValue(1);
        }

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(TestHost.AdminKey)), stored["admin"]);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(TestHost.IngestKey)), stored["ingest-app"]);
        var file = await File.ReadAllBytesAsync(sut.DatabasePath);
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(TestHost.AdminKey)));
    }

    [Fact]
    public async Task FirstStart_WithoutAdminKeySet_PrintsAGeneratedKeyOnce()
    {
        using var folder = new TempDirectory();
        string printed;
        await using (var first = await TestHost.StartAsync(adminKey: false, folder: folder))
        {
            var line = first.Console.ToString();
            var at = line.IndexOf("rpk_", StringComparison.Ordinal);
            Assert.True(at >= 0, line);
            printed = line[at..].Trim();
            Assert.Equal(47, printed.Length);
            using var client = first.Client(printed);
            using var response = await client.GetAsync("/api/experiments");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var second = await TestHost.StartAsync(adminKey: false, folder: folder);
        Assert.DoesNotContain("rpk_", second.Console.ToString(), StringComparison.Ordinal);
        using var again = second.Client(printed);
        using var stillValid = await again.GetAsync("/api/experiments");
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }

    [Fact]
    public async Task FirstStart_WithRampartAdminKey_UsesItAndPrintsNothing()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Admin.PostAsync("/api/experiments", TestHost.Json(TestExperiments.Sim("env-key")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain("rpk_", sut.Console.ToString(), StringComparison.Ordinal);
        var audit = JsonDocument.Parse(await sut.Admin.GetStringAsync("/api/experiments/env-key/audit")).RootElement;
        Assert.Equal("admin", audit[0].GetProperty("who").GetString());
    }
}
