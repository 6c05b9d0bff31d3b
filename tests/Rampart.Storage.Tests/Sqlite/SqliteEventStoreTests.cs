using Microsoft.Data.Sqlite;
using Rampart.Core.Events;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteEventStoreTests : EventStoreContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override IEventStore CreateStore() => new SqliteEventStore(file.Path);

    public void Dispose() => file.Dispose();

    [Fact]
    public async Task ReadAsync_AfterReopeningTheFile_ReturnsEverything()
    {
        var events = TestEvents.Exposures(100);
        events.Add(TestEvents.Completion("user-1", "c-1"));
        await CreateStore().AppendAsync(events, Ct);
        SqliteConnection.ClearAllPools();

        var sut = new SqliteEventStore(new SqliteDatabase(file.Path));

        Assert.Equal(events, await ReadAllAsync(sut, "prompt-opt-v2"));
        Assert.Equal((0, 101), Counts(await sut.AppendAsync(events, Ct)));
    }

    [Fact]
    public async Task ReadAsync_Timestamps_KeepEveryTickInUtc()
    {
        var sut = CreateStore();
        var ts = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(9)).AddTicks(9_999_999);

        await sut.AppendAsync([TestEvents.Exposure("u") with { Ts = ts }], Ct);

        var read = Assert.Single(await ReadAllAsync(sut, "prompt-opt-v2")).Ts;
        Assert.Equal((ts.UtcTicks, TimeSpan.Zero), (read.UtcTicks, read.Offset));
        Assert.Equal("2026-11-01T01:00:00.9999999Z", file.Scalar("SELECT ts FROM events"));
    }

    [Fact]
    public async Task AppendAsync_TextWithNul_KeepsIt()
    {
        var sut = CreateStore();
        var e = TestEvents.Completion("u\0nit") with { Output = "a\0b" };

        await sut.AppendAsync([e], Ct);

        Assert.Equal(e, Assert.Single(await ReadAllAsync(sut, "prompt-opt-v2")));
    }

    [Fact]
    public async Task AppendAsync_EmptyExperiment_ViolatesTheCheckAndStoresNothing()
    {
        var sut = CreateStore();
        var batch = TestEvents.Exposures(10);
        batch[5] = batch[5] with { Experiment = "" };

        var ex = await Assert.ThrowsAsync<SqliteException>(() => sut.AppendAsync(batch, Ct));

        Assert.Contains("CHECK", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, file.Scalar("SELECT COUNT(*) FROM events"));
    }
}
