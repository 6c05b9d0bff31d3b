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
