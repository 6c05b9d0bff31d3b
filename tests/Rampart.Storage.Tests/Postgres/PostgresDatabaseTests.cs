using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresDatabaseTests : IDisposable
{
    private readonly TestPostgres postgres = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => postgres.Dispose();

    [Fact]
    public async Task InitializeAsync_TwiceAndFromAnotherProcess_AppliesEachMigrationOnce()
    {
        await Open().InitializeAsync(Ct);
        await Open().InitializeAsync(Ct);

        Assert.Equal((long)PostgresDatabase.SchemaVersion, postgres.Scalar("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(PostgresDatabase.SchemaVersion, postgres.Scalar("SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public async Task InitializeAsync_EventsIndexedTextColumns_CompareBytesNotTheLocale()
    {
        await Open().InitializeAsync(Ct);

        // Every append inserts into their indexes: a locale's strcoll there was PostgreSQL's largest cost per event.
        foreach (var column in new[] { "id", "experiment", "request_id" })
        {
            Assert.Equal("C", postgres.Scalar(
                $"SELECT collation_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'events' AND column_name = '{column}'"));
        }
    }

    [Fact]
    public async Task InitializeAsync_FourServersOnAnEmptySchemaAtOnce_MigrateOnce()
    {
        var start = new Rendezvous(4);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var database = Open();
            await start.ArriveAsync().WaitAsync(Ct);
            await database.InitializeAsync(Ct);
        }, Ct)));

        Assert.Equal((long)PostgresDatabase.SchemaVersion, postgres.Scalar("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task InitializeAsync_NewerSchema_ThrowsNamingTheVersions()
    {
        await Open().InitializeAsync(Ct);
        postgres.Scalar("INSERT INTO schema_version (version) VALUES (99)");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Open().InitializeAsync(Ct));

        Assert.Contains($"has schema version 99, newer than this Rampart's {PostgresDatabase.SchemaVersion}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadConnectionString_ThrowsSayingSo()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgresDatabase("Hots=nowhere;Port=x"));

        Assert.StartsWith("The PostgreSQL connection string is invalid:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_TablesLiveInTheConnectionsSchema()
    {
        await Open().InitializeAsync(Ct);

        Assert.Equal(postgres.Schema, postgres.Scalar("SELECT table_schema FROM information_schema.tables WHERE table_name = 'events' AND table_schema = current_schema()"));
    }

    private PostgresDatabase Open() => postgres.Own(new PostgresDatabase(postgres.ConnectionString));
}
