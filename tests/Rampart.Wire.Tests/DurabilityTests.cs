using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Wire.Tests;

/// <summary>
/// The server killed with SIGKILL in the middle of a stream of <c>/api/events</c> batches, then restarted, several times:
/// a client that retries unacknowledged batches with the same ids ends with every acknowledged event stored exactly once.
/// </summary>
public sealed class DurabilityTests
{
    private const string AdminKey = "rpk_durability-admin-key-0123456789";
    private const string Experiment = "durable";
    private const int BatchSize = 250;
    private const int Kills = 4;

    [Fact]
    public async Task Events_ServerKilledMidStreamAndRestarted_EveryAcknowledgedEventStoredExactlyOnce()
    {
        using var folder = new TempDirectory();
        var db = folder.File("rampart.db");
        var address = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        var server = await ServerProcess.StartAsync(address, db, AdminKey);
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using (var created = await client.PostAsync("/api/experiments", WireHost.Json(WireScenario.Experiment(Experiment, "sim"))))
            {
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            }

            var acknowledged = new HashSet<string>(StringComparer.Ordinal);
            var sent = new HashSet<string>(StringComparer.Ordinal);
            var killsDone = 0;
            var failedAttempts = 0;
            var killer = Task.Run(async () =>
            {
                var random = new Random(7);
                for (var kill = 0; kill < Kills; kill++)
                {
                    await Task.Delay(random.Next(300, 900));
                    await server.KillAsync();
                    server.Dispose();
                    server = await ServerProcess.StartAsync(address, db, AdminKey);
                    Interlocked.Increment(ref killsDone);
                }
            });

            var clock = Stopwatch.StartNew();
            var batch = 0;
            var batchesAfterLastKill = 0;
            while (batchesAfterLastKill < 5)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the client made no progress");
                var ids = Enumerable.Range(0, BatchSize).Select(i => $"e-{batch:D6}-{i:D4}").ToList();
                sent.UnionWith(ids);
                var body = Lines(ids);
                while (true) // the same batch, the same ids, until it is acknowledged
                {
                    try
                    {
                        using var response = await client.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
                        if (response.IsSuccessStatusCode)
                        {
                            acknowledged.UnionWith(ids);
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                    }
                    catch (TaskCanceledException)
                    {
                    }

                    failedAttempts++;
                    await Task.Delay(20);
                }

                batch++;
                if (Volatile.Read(ref killsDone) == Kills)
                {
                    batchesAfterLastKill++;
                }
            }

            await killer;
            await server.KillAsync();

            var stored = new List<string>();
            await foreach (var e in new SqliteEventStore(db).ReadAsync(Experiment))
            {
                stored.Add(e.Id!);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Assert.True(failedAttempts > 0, "no batch was interrupted: the kills did not land mid-stream");
            Assert.Empty(stored.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
            Assert.Subset(stored.ToHashSet(StringComparer.Ordinal), acknowledged);
            Assert.Superset(sent, stored.ToHashSet(StringComparer.Ordinal));
            Assert.Equal(acknowledged.Count, stored.Count); // every batch was retried until acknowledged
        }
        finally
        {
            server.Dispose();
        }
    }

    private static string Lines(List<string> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            var variant = id.EndsWith('0') ? "variant_a" : "control";
            text.Append("{\"type\":\"completion\",\"experiment\":\"").Append(Experiment).Append("\",\"variant\":\"").Append(variant)
                .Append("\",\"unit\":\"u-").Append(id.AsSpan(id.Length - 4)).Append("\",\"ts\":\"2026-11-01T10:00:00Z\",\"id\":\"").Append(id)
                .Append("\",\"latency_ms\":812.5,\"prompt_tokens\":120,\"completion_tokens\":80}\n");
        }

        return text.ToString();
    }
}
