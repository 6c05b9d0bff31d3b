using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rampart.Testing;

namespace Rampart.Server.Tests.Configuration;

public sealed class SettingsSetupTests
{
    [Theory]
    [InlineData("server:max_body_bytes", "abc", "server.max_body_bytes")]
    [InlineData("server:max_body_bytes", "-5", "server.max_body_bytes")]
    [InlineData("events:queue_capacity", "0", "events.queue_capacity")]
    [InlineData("server:max_body_byte", "10", "server.max_body_byte is not a setting")]
    [InlineData("server:inline_io", "yes", "server.inline_io must be true or false; got 'yes'")]
    [InlineData("gateway:default_provider", "nowhere", "gateway.default_provider 'nowhere'")]
    [InlineData("providers:openai:type", "openia", "providers.openai.type")]
    [InlineData("pricing:gpt-4:input_per_1k", "cheap", "pricing.gpt-4.input_per_1k")]
    [InlineData("RAMPART_ADMIN_KEY", "short", "RAMPART_ADMIN_KEY")]
    [InlineData("RAMPART_ADMIN_KEY", "rpk_only-31-characters-long-abc", "RAMPART_ADMIN_KEY is too weak: it has 31 characters and an admin key needs at least 32")]
    [InlineData("feedback:pending_ttl", "forever", "feedback.pending_ttl")]
    [InlineData("feedback:max_pending", "0", "feedback.max_pending must be a whole number from 1")]
    [InlineData("feedback:max_pending_bytes", "lots", "feedback.max_pending_bytes must be a whole number")]
    [InlineData("gateway:max_response_bytes", "100", "gateway.max_response_bytes must be a whole number from 1024")]
    [InlineData("gateway:max_stream_line_bytes", "1e6", "gateway.max_stream_line_bytes must be a whole number")]
    [InlineData("gateway:max_error_body_bytes", "-1", "gateway.max_error_body_bytes must be a whole number")]
    [InlineData("gateway:max_stored_output_chars", "99999999999", "gateway.max_stored_output_chars must be a whole number")]
    [InlineData("alerts:webhooks", "http://127.0.0.1:9000/hook", "alerts.webhooks must be a list of URLs")]
    [InlineData("alerts:webhooks:0", "ftp://127.0.0.1/hook", "alerts.webhooks[0] must be an http or https URL")]
    [InlineData("alerts:webhooks:0", "not a url", "alerts.webhooks[0]")]
    [InlineData("alerts:retry_initial", "soon", "alerts.retry_initial must be a duration")]
    [InlineData("alerts:max_attempts", "0", "alerts.max_attempts")]
    [InlineData("alerts:webhook", "x", "alerts.webhook is not a setting")]
    [InlineData("judges:queue_capacity", "0", "judges.queue_capacity must be a whole number from 1")]
    [InlineData("judges:queue_max_bytes", "100", "judges.queue_max_bytes must be a whole number from 1")]
    [InlineData("judges:concurrency", "many", "judges.concurrency must be a whole number")]
    [InlineData("judges:timeout", "soon", "judges.timeout must be a duration")]
    [InlineData("judges:queue", "5", "judges.queue is not a setting")]
    [InlineData("shadow:queue_capacity", "0", "shadow.queue_capacity must be a whole number from 1")]
    [InlineData("shadow:queue_max_bytes", "100", "shadow.queue_max_bytes must be a whole number from 1")]
    [InlineData("shadow:concurrency", "many", "shadow.concurrency must be a whole number")]
    [InlineData("shadow:timeout", "soon", "shadow.timeout must be a duration")]
    [InlineData("shadow:sample_rate", "0.5", "shadow.sample_rate is not a setting")]
    [InlineData("events:gateway_linger", "1s", "events.gateway_linger must be a duration from '0ms' to '50ms'")]
    [InlineData("events:writers", "0", "events.writers must be a whole number from 1 to 16")]
    [InlineData("events:writers", "two", "events.writers must be a whole number")]
    [InlineData("events:journal_max_bytes", "1000", "events.journal_max_bytes must be a whole number from 65536")]
    [InlineData("events:journal_path", " ", "events.journal_path must name a file")]
    [InlineData("storage:postgres", "Host=127.0.0.1;Database=rampart", "storage.sqlite (--db) and storage.postgres (--postgres) are both set; give one")]
    [InlineData("storage:postgres", "Hots=127.0.0.1", "storage.postgres is not a valid Npgsql connection string")]
    [InlineData("storage:postgre", "Host=127.0.0.1", "storage.postgre is not a setting; storage has storage.sqlite, storage.postgres")]
    public async Task Start_BadSetting_StopsWithAMessageNamingTheKey(string key, string value, string named)
    {
        using var folder = new TempDirectory();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = RampartServer.Build(["--db", folder.File("x.db"), "--urls", "http://127.0.0.1:0"],
                b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }));
            await app.StartAsync();
        });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadSettingsOfSeveralFeatures_StopsWithOneErrorNamingThemAll()
    {
        using var folder = new TempDirectory();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = RampartServer.Build(["--db", folder.File("x.db"), "--urls", "http://127.0.0.1:0"],
                b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["server:max_body_bytes"] = "abc",
                    ["events:queue_capacity"] = "0",
                    ["gateway:max_response_bytes"] = "100",
                    ["pricing:gpt-4:input_per_1k"] = "cheap",
                }));
            await app.StartAsync();
        });

        Assert.Contains("server.max_body_bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("events.queue_capacity", error.Message, StringComparison.Ordinal);
        Assert.Contains("gateway.max_response_bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("pricing.gpt-4.input_per_1k", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ConfigFileAndDbOption_AreRead()
    {
        using var folder = new TempDirectory();
        var config = folder.File("rampart.json");
        await File.WriteAllTextAsync(config, """{ "server": { "max_body_bytes": "lots" } }""");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = RampartServer.Build(["--config", config, "--db", folder.File("x.db"), "--urls", "http://127.0.0.1:0"]);
            await app.StartAsync();
        });

        Assert.Contains("server.max_body_bytes must be a whole number", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0ms", 0)]
    [InlineData("25ms", 25)]
    public async Task Build_GatewayLinger_ZeroOrUpTo50ms(string value, int milliseconds)
    {
        using var folder = new TempDirectory();

        await using var app = RampartServer.Build(["--db", folder.File("x.db")],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["events:gateway_linger"] = value }));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), app.Services.GetRequiredService<IOptions<Rampart.Server.Events.EventOptions>>().Value.GatewayLinger);
    }

    [Fact]
    public async Task Build_NoJournalPath_PutsTheJournalBesideTheSqliteFileWith256MiB()
    {
        using var folder = new TempDirectory();

        await using var app = RampartServer.Build(["--db", folder.File("x.db")]);

        var events = app.Services.GetRequiredService<IOptions<Rampart.Server.Events.EventOptions>>().Value;
        Assert.Equal(folder.File("x.db-events.journal"), events.JournalFile(app.Services.GetRequiredService<IOptions<Rampart.Storage.StorageOptions>>().Value));
        Assert.Equal(256L * 1024 * 1024, events.JournalMaxBytes);
    }

    [Fact]
    public async Task Build_EnvironmentVariable_OverridesTheConfigFile()
    {
        using var folder = new TempDirectory();
        var config = folder.File("rampart.json");
        await File.WriteAllTextAsync(config, """{ "server": { "max_body_bytes": 2048 } }""");

        // A value no other test minds, should it see it while this one runs: larger than the default.
        Environment.SetEnvironmentVariable("RAMPART__SERVER__MAX_BODY_BYTES", "5000000");
        try
        {
            await using var app = RampartServer.Build(["--config", config, "--db", folder.File("x.db")]);

            Assert.Equal(5_000_000, app.Services.GetRequiredService<IOptions<Rampart.Server.Configuration.ServerOptions>>().Value.MaxBodyBytes);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RAMPART__SERVER__MAX_BODY_BYTES", null);
        }
    }

    [Fact]
    public void Build_MissingConfigFile_NamesIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => RampartServer.Build(["--config", "/nonexistent/rampart.json"]));

        Assert.Contains("--config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DbOption_WinsOverTheConfigFile()
    {
        using var folder = new TempDirectory();
        var config = folder.File("rampart.json");
        await File.WriteAllTextAsync(config, $$"""{ "storage": { "sqlite": "{{folder.File("from-file.db")}}" } }""");

        await using var app = RampartServer.Build(["--config", config, "--db", folder.File("from-option.db"), "--urls", "http://127.0.0.1:0"],
            b => b.Services.AddSingleton(new Rampart.Server.Access.ServerConsole(TextWriter.Null)));
        await app.StartAsync();
        await app.StopAsync();

        Assert.True(File.Exists(folder.File("from-option.db")));
        Assert.False(File.Exists(folder.File("from-file.db")));
    }

    [Fact]
    public async Task Build_PostgresOption_PutsEveryStoreOnPostgres()
    {
        const string Connection = "Host=127.0.0.1;Port=1;Database=rampart;Username=rampart";

        await using var app = RampartServer.Build(["--postgres", Connection]);

        Assert.Equal(Connection, app.Services.GetRequiredService<IOptions<Rampart.Storage.StorageOptions>>().Value.PostgresConnectionString);
        Assert.IsType<Rampart.Storage.Postgres.PostgresExperimentStore>(app.Services.GetRequiredService<Rampart.Core.Rollouts.IExperimentStore>());
        Assert.IsType<Rampart.Storage.Postgres.PostgresEventStore>(app.Services.GetRequiredService<Rampart.Core.Events.IEventStore>());
        Assert.IsType<Rampart.Storage.Postgres.PostgresEventFeed>(app.Services.GetRequiredService<Rampart.Core.Events.IEventFeed>());
        Assert.IsType<Rampart.Storage.Postgres.PostgresKeyStore>(app.Services.GetRequiredService<Rampart.Core.Access.IKeyStore>());
        Assert.IsType<Rampart.Storage.Postgres.PostgresPendingFeedbackStore>(app.Services.GetRequiredService<Rampart.Core.Events.IPendingFeedbackStore>());
        Assert.IsType<Rampart.Storage.Postgres.PostgresExperimentChanges>(app.Services.GetRequiredService<Rampart.Core.Rollouts.IExperimentChangeSignal>());
        Assert.IsType<Rampart.Storage.Postgres.PostgresMonitorLease>(app.Services.GetRequiredService<Rampart.Core.Rollouts.IMonitorLease>());
    }
}
