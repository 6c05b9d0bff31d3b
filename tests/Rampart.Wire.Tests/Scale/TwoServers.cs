using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rampart.Testing;

namespace Rampart.Wire.Tests.Scale;

/// <summary>Two real servers (Kestrel on 127.0.0.1) on one PostgreSQL schema, as two machines behind a load balancer would be.</summary>
public sealed class TwoServers : IAsyncDisposable
{
    private TwoServers(TestPostgres postgres, WireHost a, WireHost b)
    {
        Postgres = postgres;
        A = a;
        B = b;
    }

    public TestPostgres Postgres { get; }

    public WireHost A { get; }

    public WireHost B { get; }

    /// <summary>Starts both servers; <paramref name="webhook"/>, when given, receives both servers' alerts.</summary>
    public static async Task<TwoServers> StartAsync(Uri? webhook = null)
    {
        var postgres = new TestPostgres();
        var settings = new Dictionary<string, string?> { ["storage:postgres"] = postgres.ConnectionString };
        if (webhook is not null)
        {
            settings["alerts:webhooks:0"] = webhook.ToString();
        }

        await WireScenario.HostStart.WaitAsync();
        try
        {
            var a = await WireHost.StartAsync(settings);
            var b = await WireHost.StartAsync(settings);
            return new TwoServers(postgres, a, b);
        }
        finally
        {
            WireScenario.HostStart.Release();
        }
    }

    /// <summary>The variant and reason <paramref name="server"/> assigns <paramref name="unit"/>.</summary>
    public static async Task<(string Variant, string Reason)> AssignAsync(WireHost server, string experiment, string unit)
    {
        using var response = await server.Ingest.PostAsJsonAsync("/api/assign", new { experiment, unit });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("variant").GetString()!, json.RootElement.GetProperty("reason").GetString()!);
    }

    /// <summary>A JSON Lines body of completions, exposures and feedback with ids <c>{prefix}-{i}</c>, the same for a given prefix.</summary>
    public static string Events(string experiment, string prefix, int count)
    {
        var random = new Random(prefix.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var unit = $"u-{random.Next(400)}";
            var variant = random.Next(2) == 0 ? "control" : "variant_a";
            var latency = Math.Round(200 + random.NextDouble() * (variant == "control" ? 800 : 600), 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var head = $"{{\"experiment\":\"{experiment}\",\"variant\":\"{variant}\",\"unit\":\"{unit}\",\"ts\":\"2026-11-01T10:00:00Z\",\"id\":\"{prefix}-{i}\"";
            text.Append((i % 3) switch
            {
                0 => $"{head},\"type\":\"exposure\"}}\n",
                1 => $"{head},\"type\":\"completion\",\"request_id\":\"{prefix}-r{i}\",\"latency_ms\":{latency},\"prompt_tokens\":120,\"completion_tokens\":80,\"cost_usd\":0.002,\"error\":{(random.Next(50) == 0 ? "\"boom\"" : "null")}}}\n",
                _ => $"{head},\"type\":\"feedback\",\"request_id\":\"{prefix}-r{i - 1}\",\"score\":\"user_satisfaction\",\"value\":{random.Next(2)}}}\n",
            });
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Postgres.Dispose();
    }
}
