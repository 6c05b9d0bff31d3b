using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Rampart.Storage.Postgres;
using Rampart.Testing;

namespace Rampart.Wire.Tests.Scale;

/// <summary>
/// Two <c>rampart serve --postgres</c> processes started together on an empty database; one is killed with SIGKILL
/// (twice, restarted in between) while a client spreads <c>/api/events</c> batches over both and retries a batch that
/// was not acknowledged on the other: every acknowledged event is stored, exactly once.
/// </summary>
public sealed class KillMidIngestTests
{
    private const string AdminKey = "rpk_scale-admin-key-0123456789abcdef";
    private const string Experiment = "scale-durable";
    private const int BatchSize = 200;

    [Fact]
    public async Task Events_OneOfTwoServersKilledMidIngest_EveryAcknowledgedEventStoredExactlyOnce()
    {
        using var postgres = new TestPostgres();
        using var folder = new TempDirectory();
        var addresses = new[] { new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}"), new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}") };
        string[] storage = ["--postgres", postgres.ConnectionString];
        var servers = await Task.WhenAll(addresses.Select(a => ServerProcess.StartAsync(a, storage, folder.Path, AdminKey)));
        try
        {
            var clients = addresses.Select(a =>
            {
                var client = new HttpClient { BaseAddress = a, Timeout = TimeSpan.FromSeconds(5) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
                return client;
            }).ToArray();
            using (var created = await clients[1].PostAsync("/api/experiments", WireHost.Json(WireScenario.Experiment(Experiment, "sim"))))
            {
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            }

            var acknowledged = new HashSet<string>(StringComparer.Ordinal);
            var failedOnKilled = 0;
            var kills = 0;
            var killer = Task.Run(async () =>
            {
                for (var kill = 0; kill < 2; kill++)
                {
                    await Task.Delay(400 + kill * 300);
                    await servers[0].KillAsync();
                    servers[0].Dispose();
                    servers[0] = await ServerProcess.StartAsync(addresses[0], storage, folder.Path, AdminKey);
                    Interlocked.Increment(ref kills);
                }
            });

            var clock = Stopwatch.StartNew();
            var batch = 0;
            var afterLastKill = 0;
            while (afterLastKill < 6)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the client made no progress");
                var ids = Enumerable.Range(0, BatchSize).Select(i => $"e-{batch:D5}-{i:D3}").ToList();
                var body = Lines(ids);
                for (var attempt = 0; ; attempt++) // the same ids until acknowledged: first the server whose turn it is, then the other
                {
                    var target = (batch + attempt) % 2;
                    try
                    {
                        using var response = await clients[target].PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
                        if (response.IsSuccessStatusCode)
                        {
                            acknowledged.UnionWith(ids);
                            break;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                    }

                    failedOnKilled += target == 0 ? 1 : 0;
                    await Task.Delay(10);
                }

                batch++;
                afterLastKill += Volatile.Read(ref kills) == 2 ? 1 : 0;
            }

            await killer;
            foreach (var client in clients)
            {
                client.Dispose();
            }

            await using var database = new PostgresDatabase(postgres.ConnectionString);
            var stored = new List<string>();
            await foreach (var e in new PostgresEventStore(database).ReadAsync(Experiment))
            {
                stored.Add(e.Id!);
            }

            Assert.True(failedOnKilled > 0, "no batch was interrupted: the kills did not land mid-ingest");
            Assert.Empty(stored.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
            Assert.Equal(acknowledged.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    private static string Lines(List<string> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            text.Append("{\"type\":\"completion\",\"experiment\":\"").Append(Experiment).Append("\",\"variant\":\"control\",\"unit\":\"u-")
                .Append(id.AsSpan(id.Length - 3)).Append("\",\"ts\":\"2026-11-01T10:00:00Z\",\"id\":\"").Append(id)
                .Append("\",\"latency_ms\":812.5,\"prompt_tokens\":120,\"completion_tokens\":80}\n");
        }

        return text.ToString();
    }
}
