using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Testing;

namespace Rampart.Wire.Tests;

/// <summary>
/// The real server app on a real Kestrel port of 127.0.0.1 and a fresh SQLite file (or the PostgreSQL database
/// <c>storage:postgres</c> names), with an admin key set by
/// <c>RAMPART_ADMIN_KEY</c> and an ingest key for the clients (picked up by the server on its first use).
/// </summary>
public sealed class WireHost : IAsyncDisposable
{
    public const string AdminKey = "rpk_wire-admin-key-0123456789abcdef";
    public const string IngestKey = "rpk_wire-ingest-key-0123456789abcdef";

    private readonly TempDirectory folder = new();
    private WebApplicationFactory<Program> factory = null!;

    private WireHost()
    {
    }

    /// <summary>The base address, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => factory.Services;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Ingest { get; private set; } = null!;

    /// <summary>Starts the app; <paramref name="settings"/> are configuration keys (<c>providers:up:type</c>).</summary>
    public static async Task<WireHost> StartAsync(IDictionary<string, string?> settings)
    {
        var host = new WireHost();
        var values = new Dictionary<string, string?>(settings, StringComparer.Ordinal) { ["RAMPART_ADMIN_KEY"] = AdminKey };
        if (!values.ContainsKey("storage:postgres"))
        {
            values["storage:sqlite"] = host.folder.File("rampart.db");
        }

        host.factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(values));
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        });
        host.factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        host.factory.StartServer();
        var address = host.factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        try
        {
            await host.factory.Services.GetRequiredService<IKeyStore>().CreateAsync(AccessKeys.Describe(IngestKey, "wire-client", KeyScope.Ingest, SeedExperiment.Epoch));
        }
        catch (KeyConflictException)
        {
            // Another server on the same PostgreSQL database created it.
        }

        host.Admin = host.Client(AdminKey);
        host.Ingest = host.Client(IngestKey);
        // The server re-reads its keys on meeting an unknown one, at most once a second: wait until it knows this one.
        await Eventually.TrueAsync(async () =>
        {
            using var probe = await host.Ingest.GetAsync("/api/experiments");
            return probe.IsSuccessStatusCode;
        }, failure: () => Task.FromResult("the server never accepted the ingest key"));

        return host;
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Creates and starts an experiment through the API.</summary>
    public async Task CreateExperimentAsync(string json)
    {
        using var created = await Admin.PostAsync("/api/experiments", Json(json));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var key = JsonDocument.Parse(json).RootElement.GetProperty("key").GetString();
        using var started = await Admin.PostAsync($"/api/experiments/{key}/start", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, started.StatusCode);
    }

    /// <summary>The stored events of <paramref name="experiment"/> once <paramref name="done"/> holds.</summary>
    public async Task<List<ExperimentEvent>> EventuallyAsync(string experiment, Func<List<ExperimentEvent>, bool> done)
    {
        var store = factory.Services.GetRequiredService<IEventStore>();
        var events = new List<ExperimentEvent>();
        await Eventually.TrueAsync(async () =>
        {
            events = [];
            await foreach (var e in store.ReadAsync(experiment))
            {
                events.Add(e);
            }

            return done(events);
        }, failure: () => Task.FromResult($"{events.Count} events stored"));
        return events;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        Ingest?.Dispose();
        await factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
