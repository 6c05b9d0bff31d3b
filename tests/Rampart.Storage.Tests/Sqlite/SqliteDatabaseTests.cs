using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDatabaseFile file = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => file.Dispose();

    [Fact]
    public void Initialize_NewFile_SwitchesItToWal()
    {
        var sut = new SqliteDatabase(file.Path);

        sut.Initialize();

        Assert.Equal("wal", file.Scalar("PRAGMA journal_mode"));
        Assert.Equal((long)SqliteDatabase.NewFilePageSize, file.Scalar("PRAGMA page_size"));
    }

    [Fact]
    public async Task OpenAsync_Connection_HasRampartsSettings()
    {
        var sut = new SqliteDatabase(file.Path, TimeSpan.FromSeconds(3));

        using var connection = await sut.OpenAsync(Ct);

        Assert.Equal("wal", connection.Scalar("PRAGMA journal_mode"));
        Assert.Equal(1L, connection.Scalar("PRAGMA synchronous"));
        Assert.Equal(1L, connection.Scalar("PRAGMA foreign_keys"));
        Assert.Equal(3000L, connection.Scalar("PRAGMA busy_timeout"));
    }

    [Fact]
    public void Initialize_ReopenedFile_AppliesEachMigrationOnce()
    {
        new SqliteDatabase(file.Path).Initialize();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        new SqliteDatabase(file.Path).Initialize();

        Assert.Equal((long)SqliteDatabase.SchemaVersion, file.Scalar("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal((long)SqliteDatabase.SchemaVersion, file.Scalar("SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public void Initialize_FileAtVersion7_RebuildsTheAuditTableKeepingEveryRowAndAcceptingTarget()
    {
        // A file as version 7 left it, with one audit row, then opened by this Rampart.
        file.Scalar("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        for (var v = 1; v <= 7; v++)
        {
            file.Scalar(SqliteSchema.Migrations[v - 1]);
            file.Scalar($"INSERT INTO schema_version (version, applied_at) VALUES ({v}, 'then')");
        }

        file.Scalar("INSERT INTO experiments (key, definition, state, version, created_at, rolled_back) VALUES ('k', '{}', 'draft', 1, 'then', '{}')");
        file.Scalar("INSERT INTO audit (experiment, seq, ts, who, action, reason, metrics) VALUES ('k', 1, 'then', 'admin', 'create', 'created', '{}')");

        new SqliteDatabase(file.Path).Initialize();
        file.Scalar("INSERT INTO audit (experiment, seq, ts, who, action, reason, metrics) VALUES ('k', 2, 'now', 'admin', 'target', 'pro only', '{}')");

        Assert.Equal((long)SqliteDatabase.SchemaVersion, file.Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal("create,target", file.Scalar("SELECT group_concat(action, ',') FROM (SELECT action FROM audit ORDER BY seq)"));
    }

    [Fact]
    public async Task Initialize_ManyDatabasesOnOneNewFileAtOnce_MigrateOnce()
    {
        var start = new Contracts.Rendezvous(4);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.ArriveAsync().WaitAsync(Ct);
            new SqliteDatabase(file.Path).Initialize();
        }, Ct)));

        Assert.Equal((long)SqliteDatabase.SchemaVersion, file.Scalar("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public void Initialize_NewerSchema_ThrowsNamingFileAndVersions()
    {
        new SqliteDatabase(file.Path).Initialize();
        file.Scalar("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')");

        var ex = Assert.Throws<InvalidOperationException>(() => new SqliteDatabase(file.Path).Initialize());

        Assert.Contains($"'{file.Path}' has schema version 99, newer than this Rampart's {SqliteDatabase.SchemaVersion}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initialize_MissingFolder_CreatesIt()
    {
        var nested = Path.Combine(Path.GetDirectoryName(file.Path)!, "a", "b", "rampart.db");

        new SqliteDatabase(nested).Initialize();

        Assert.True(File.Exists(nested));
    }

    [Fact]
    public void Constructor_RelativePath_MakesItAbsolute()
    {
        var sut = new SqliteDatabase("rampart.db");

        Assert.True(Path.IsPathFullyQualified(sut.Path));
    }
}
