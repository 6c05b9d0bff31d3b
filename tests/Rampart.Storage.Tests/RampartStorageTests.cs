using Rampart.Storage.Postgres;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Storage.Tests;

public sealed class RampartStorageTests
{
    [Fact]
    public async Task Open_SqlitePath_GivesEveryStoreOnTheSqliteFileAndNoSharedLease()
    {
        using var folder = new TempDirectory();

        await using var sut = RampartStorage.Open(new StorageOptions { SqlitePath = folder.File("x.db") });

        Assert.IsType<SqliteExperimentStore>(sut.Experiments);
        Assert.IsType<SqliteEventStore>(sut.Events);
        Assert.IsType<SqliteEventFeed>(sut.EventFeed);
        Assert.IsType<SqlitePendingFeedbackStore>(sut.PendingFeedback);
        Assert.IsType<SqliteQuarantineStore>(sut.Quarantine);
        Assert.IsType<SqliteKeyStore>(sut.Keys);
        Assert.Null(sut.MonitorLease);
        Assert.Null(sut.Changes);
    }

    [Fact]
    public async Task Open_PostgresConnectionString_GivesEveryStoreOnPostgres()
    {
        await using var sut = RampartStorage.Open(new StorageOptions { PostgresConnectionString = "Host=127.0.0.1;Port=1;Database=rampart;Username=rampart" });

        Assert.IsType<PostgresExperimentStore>(sut.Experiments);
        Assert.IsType<PostgresEventStore>(sut.Events);
        Assert.IsType<PostgresEventFeed>(sut.EventFeed);
        Assert.IsType<PostgresPendingFeedbackStore>(sut.PendingFeedback);
        Assert.IsType<PostgresQuarantineStore>(sut.Quarantine);
        Assert.IsType<PostgresKeyStore>(sut.Keys);
        Assert.IsType<PostgresMonitorLease>(sut.MonitorLease);
        Assert.IsType<PostgresExperimentChanges>(sut.Changes);
    }

    [Fact]
    public void Open_BadConnectionString_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => RampartStorage.Open(new StorageOptions { PostgresConnectionString = "Hots=127.0.0.1" }));
    }
}
