using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteExperimentStoreTests : ExperimentStoreContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override IExperimentStore CreateStore() => new SqliteExperimentStore(file.Path);

    public void Dispose() => file.Dispose();

    [Fact]
    public async Task FindAsync_AfterReopeningTheFile_ReturnsEverything()
    {
        var running = await CreateRunningAsync(CreateStore(), "prompt-opt-v2");
        var change = Rollout.Rollback(running, "variant_a", "errors", T0.AddDays(1), "monitor");
        await CreateStore().UpdateAsync(change.Experiment, change.Audit, Ct);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var sut = new SqliteExperimentStore(new SqliteDatabase(file.Path));

        ExperimentAssert.Same(change.Experiment, await sut.FindAsync("prompt-opt-v2", Ct));
        Assert.Equal(3, (await sut.AuditAsync("prompt-opt-v2", Ct)).Count);
    }

    [Fact]
    public async Task FindAsync_Timestamps_KeepEveryTick()
    {
        var sut = CreateStore();
        var odd = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(-5)).AddTicks(1);
        var draft = Experiment.CreateDraft(SeedExperiment.Definition(), odd);

        await sut.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);

        var found = await sut.FindAsync("prompt-opt-v2", Ct);
        Assert.Equal(odd.UtcTicks, found!.CreatedAt.UtcTicks);
        Assert.Equal(odd.UtcTicks, found.Allocations[0].At.UtcTicks);
        Assert.Equal(odd.UtcTicks, (await sut.AuditAsync("prompt-opt-v2", Ct))[0].Ts.UtcTicks);
    }

    [Fact]
    public async Task CreateAsync_StoresRangeTablesAsJson()
    {
        var sut = CreateStore();

        await CreateRunningAsync(sut, "prompt-opt-v2");

        Assert.Equal(
            """[{"variant":"control","start":0,"end":8000,"rolled_back":false},{"variant":"variant_a","start":8000,"end":9000,"rolled_back":false},{"variant":"variant_b","start":9000,"end":10000,"rolled_back":false}]""",
            file.Scalar("SELECT ranges FROM allocations WHERE experiment = 'prompt-opt-v2' AND idx = 0"));
        Assert.Equal("running", file.Scalar("SELECT state FROM experiments"));
        Assert.Equal("2026-11-01T10:00:00.1234560Z", file.Scalar("SELECT created_at FROM experiments"));
    }

    [Fact]
    public async Task FindAsync_StoredRanges_AreTheSourceOfTruth()
    {
        var sut = CreateStore();
        await CreateRunningAsync(sut, "prompt-opt-v2");
        const string Edited =
            """[{"variant":"variant_b","start":0,"end":10,"rolled_back":false},{"variant":"control","start":10,"end":10000,"rolled_back":true}]""";
        using (var connection = file.OpenRaw())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE allocations SET ranges = '{Edited}' WHERE idx = 0";
            command.ExecuteNonQuery();
        }

        var table = (await sut.FindAsync("prompt-opt-v2", Ct))!.Current.Table;

        Assert.Equal([9990, 0, 10], table.Counts);
        Assert.True(table.IsRolledBack(10));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_LeavesTheRowsUntouched()
    {
        var sut = CreateStore();
        var running = await CreateRunningAsync(sut, "prompt-opt-v2");
        var first = Rollout.Advance(running, T0.AddDays(7), "cli");
        await sut.UpdateAsync(first.Experiment, first.Audit, Ct);
        var stale = Rollout.Rollback(running, "variant_a", "errors", T0.AddDays(8), "cli");

        await Assert.ThrowsAsync<ExperimentConflictException>(() => sut.UpdateAsync(stale.Experiment, stale.Audit, Ct));

        Assert.Equal(2L, file.Scalar("SELECT COUNT(*) FROM allocations"));
        Assert.Equal(3L, file.Scalar("SELECT COUNT(*) FROM audit"));
        Assert.Equal("{}", file.Scalar("SELECT rolled_back FROM experiments"));
    }
}
