using System.Net;
using System.Text.Json;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// When the store fails under the control plane or the results (here: the SQLite file overwritten with garbage, so every
/// read fails with "file is not a database"), the answer is a 503 problem with <c>Retry-After</c>, as documented, not a 500.
/// </summary>
public sealed class StoreFailureTests
{
    private const string Key = "store-down";

    [Theory]
    [InlineData("GET", "/api/experiments")]
    [InlineData("GET", "/api/experiments/store-down/audit")]
    [InlineData("POST", "/api/experiments")]
    public async Task ControlPlane_StoreFails_Is503WithRetryAfter(string method, string path)
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        Ruin(sut.DatabasePath);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = TestHost.Json(TestExperiments.Sim("another"));
        }

        using var response = await sut.Admin.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("store", JsonDocument.Parse(text).RootElement.GetProperty("field").GetString());
    }

    /// <summary>Overwrites the database, its WAL and its shared-memory index in place (same files, same sizes) with garbage.</summary>
    private static void Ruin(string database)
    {
        foreach (var path in new[] { database, database + "-wal", database + "-shm" })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var garbage = new byte[file.Length];
            Array.Fill(garbage, (byte)0xA5);
            file.Write(garbage);
            file.Flush(flushToDisk: true);
        }
    }
}
