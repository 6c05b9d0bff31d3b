using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Server.Access;
using Rampart.Testing;

namespace Rampart.Server.Tests;

/// <summary>
/// The real server app on a fresh SQLite file (in-memory test server by default, a real Kestrel on 127.0.0.1 when asked),
/// with an admin key set by <c>RAMPART_ADMIN_KEY</c> and clients for each scope.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AdminKey = "rpk_test-admin-key-0123456789abcdef";
    public const string IngestKey = "rpk_test-ingest-key-0123456789abcdef";
    public const string ReadKey = "rpk_test-read-key-0123456789abcdef";

    private readonly TempDirectory folder;
    private readonly WebApplicationFactory<Program> factory;

    private readonly bool ownsFolder;

    private TestHost(TempDirectory folder, bool ownsFolder, WebApplicationFactory<Program> factory, StringWriter console)
    {
        this.folder = folder;
        this.ownsFolder = ownsFolder;
        this.factory = factory;
        Console = console;
    }

    /// <summary>What the server printed for the operator.</summary>
    public StringWriter Console { get; }

    public IServiceProvider Services => factory.Services;

    public string DatabasePath => folder.File("rampart.db");

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Ingest { get; private set; } = null!;

    public HttpClient Read { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The base address of the real server (with <c>kestrel: true</c>).</summary>
    public Uri? Address { get; private set; }

    public IExperimentStore Experiments => Services.GetRequiredService<IExperimentStore>();

    public IEventStore Events => Services.GetRequiredService<IEventStore>();

    /// <summary>Starts the app; <paramref name="settings"/> are configuration keys (<c>server:max_body_bytes</c>).</summary>
    public static async Task<TestHost> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool kestrel = false,
        bool adminKey = true, TempDirectory? folder = null)
    {
        var ownsFolder = folder is null;
        folder ??= new TempDirectory();
        var console = new StringWriter();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["storage:sqlite"] = folder.File("rampart.db") };
        if (adminKey)
        {
            values["RAMPART_ADMIN_KEY"] = AdminKey;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(values));
            builder.ConfigureLogging(l => l.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning));
            builder.ConfigureTestServices(s =>
            {
                s.AddSingleton(new ServerConsole(console));
                s.ConfigureOpenTelemetryMeterProvider((sp, metrics) => metrics.AddView(OwnMetersOnly(sp.GetRequiredService<IMeterFactory>())));
                services?.Invoke(s);
            });
        });
        var host = new TestHost(folder, ownsFolder, factory, console);
        if (kestrel)
        {
            // A port of the OS's choosing on the loopback address, whatever else the machine listens on.
            factory.UseKestrel(kestrelOptions => kestrelOptions.Listen(System.Net.IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            host.Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
        else
        {
            factory.Server.PreserveExecutionContext = false;
        }

        if (adminKey)
        {
            await host.AddKeyAsync(IngestKey, "ingest-app", KeyScope.Ingest);
            await host.AddKeyAsync(ReadKey, "dashboard", KeyScope.Read);
        }

        host.Admin = host.Client(AdminKey);
        host.Ingest = host.Client(IngestKey);
        host.Read = host.Client(ReadKey);
        host.Anonymous = host.Client(null);
        return host;
    }

    /// <summary>
    /// Makes a server's <c>/metrics</c> read only its own meters (and the process's, such as the runtime's), as a server
    /// alone in its process does. OpenTelemetry's provider listens by meter name across the process, and every test server
    /// has a <c>Rampart.Server</c> meter: it shared one metric with another server's same-named instrument, so another test
    /// class's server stopping removed that metric from this server's <c>/metrics</c> at the next scrape, and this server's
    /// later counts were never shown (open-telemetry/opentelemetry-dotnet#6412).
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OwnMetersOnly(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop;

    /// <summary>A client sending <paramref name="key"/> as a bearer token (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = Address is null ? factory.CreateClient() : new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Stores a key and makes the running server know it.</summary>
    public async Task AddKeyAsync(string secret, string name, KeyScope scope)
    {
        var key = AccessKeys.Describe(secret, name, scope, SeedExperiment.Epoch);
        try
        {
            await Services.GetRequiredService<IKeyStore>().CreateAsync(key);
        }
        catch (KeyConflictException)
        {
            return; // A restart on the same file: already stored and loaded.
        }

        Services.GetRequiredService<KeyRing>().Add(key);
    }

    /// <summary>Creates (and, by default, starts) an experiment through the API.</summary>
    public async Task CreateExperimentAsync(string json, bool start = true)
    {
        using var created = await Admin.PostAsync("/api/experiments", Json(json));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        if (start)
        {
            var key = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("key").GetString();
            using var started = await Admin.PostAsync($"/api/experiments/{key}/start", null);
            Assert.Equal(System.Net.HttpStatusCode.OK, started.StatusCode);
        }
    }

    /// <summary>Every stored event of <paramref name="experiment"/>.</summary>
    public async Task<List<ExperimentEvent>> StoredAsync(string experiment)
    {
        var events = new List<ExperimentEvent>();
        await foreach (var e in Events.ReadAsync(experiment))
        {
            events.Add(e);
        }

        return events;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Stops the host (draining the event writer).</summary>
    public Task StopAsync() => Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>().StopAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in new[] { Admin, Ingest, Read, Anonymous })
        {
            client?.Dispose();
        }

        await factory.DisposeAsync();
        if (ownsFolder)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Dispose();
        }
    }
}
