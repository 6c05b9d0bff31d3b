using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteUnreadableExperimentTests : UnreadableExperimentContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override IExperimentStore CreateStore() => new SqliteExperimentStore(file.Path);

    protected override int Damage(string sql)
    {
        using var connection = file.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public void Dispose() => file.Dispose();

    [Theory]
    [InlineData("UPDATE allocations SET stage = 4294967296 WHERE experiment = 'b-exp'")]
    [InlineData("UPDATE allocations SET idx = idx + 4294967296 WHERE experiment = 'b-exp'")]
    public async Task ListAsync_AllocationNumberNoIntHolds_ListsEveryOtherAndNamesIt(string damage)
    {
        // SQLite keeps any integer in an INTEGER column: a row edited by hand must fail its own experiment, not the read.
        var sut = CreateStore();
        await CreateRunningAsync(sut, "a-exp");
        await CreateRunningAsync(sut, "b-exp");
        Assert.True(Damage(damage) > 0);

        var listed = await sut.ListAsync(Ct);

        Assert.Equal(["a-exp"], listed.Experiments.Select(e => e.Key));
        Assert.Equal("b-exp", Assert.Single(listed.Unreadable).Key);
    }
}
