using Microsoft.Data.Sqlite;
using Rampart.Core.Events;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteCheckpointStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDatabaseFile file = new();

    [Fact]
    public async Task SaveAsync_ThreeWithKeepTwo_ListsTheNewestTwoWithTheirBytesInOrder()
    {
        var sut = new SqliteCheckpointStore(new SqliteDatabase(file.Path));
        for (var i = 1; i <= 3; i++)
        {
            await sut.SaveAsync(new CheckpointInfo(0, i * 100, 1, 5, $"HASH{i}", At), [new byte[] { 1, 2, (byte)i }, new byte[] { 4, 5 }], keep: 2, TestContext.Current.CancellationToken);
        }

        var listed = await sut.ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([(300L, "HASH3"), (200L, "HASH2")], listed.Select(c => (c.Position, c.Hash)));
        Assert.Equal([[1, 2, 3], [4, 5]], await sut.ReadAsync(listed[0].Id, TestContext.Current.CancellationToken));
        Assert.Empty(await sut.ReadAsync(listed[0].Id - 2, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SaveAsync_AfterOneLeftUnfinished_TheUnfinishedIsNeverListedAndIsDeleted()
    {
        var sut = new SqliteCheckpointStore(new SqliteDatabase(file.Path));
        await sut.SaveAsync(new CheckpointInfo(0, 100, 1, 1, "HASH1", At), [new byte[] { 1 }], keep: 2, TestContext.Current.CancellationToken);

        // A save stopped part-way: its header, without its hash, and one of its chunks.
        Execute("INSERT INTO checkpoints (position, format, length, hash, created_at) VALUES (200, 1, 2, '', '2026-11-01T10:00:00.0000000Z');"
            + "INSERT INTO checkpoint_chunks (checkpoint, n, data) VALUES (last_insert_rowid(), 0, x'01');");
        Assert.Equal([100L], (await sut.ListAsync(TestContext.Current.CancellationToken)).Select(c => c.Position));

        await sut.SaveAsync(new CheckpointInfo(0, 300, 1, 1, "HASH3", At), [new byte[] { 3 }], keep: 2, TestContext.Current.CancellationToken);

        Assert.Equal([300L, 100L], (await sut.ListAsync(TestContext.Current.CancellationToken)).Select(c => c.Position));
        Assert.Equal(2L, Execute("SELECT COUNT(*) FROM checkpoint_chunks;"));
    }

    public void Dispose() => file.Dispose();

    private object? Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
