using Rampart.Core.Events;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresEventStoreTests : EventStoreContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    // Each store gets its own database (its own connection pool), as another server would.
    protected override IEventStore CreateStore() => new PostgresEventStore(Database());

    public void Dispose() => postgres.Dispose();

    private PostgresDatabase Database() => postgres.Own(new PostgresDatabase(postgres.ConnectionString));

    [Fact]
    public async Task AppendAsync_TextWithNul_StoresTheBatchWithReplacementCharacters()
    {
        var sut = CreateStore();
        var e = TestEvents.Completion("u\0nit", "id\0x") with { Output = "a\0b" };

        var first = await sut.AppendAsync([e, TestEvents.Exposure("user-2", "e-2")], TestContext.Current.CancellationToken);
        var again = await sut.AppendAsync([e], TestContext.Current.CancellationToken);

        Assert.Equal(((2, 0), (0, 1)), (Counts(first), Counts(again)));
        Assert.Equal(e with { Unit = "u\uFFFDnit", Id = "id\uFFFDx", Output = "a\uFFFDb" }, Assert.Single(await ReadAllAsync(sut, "prompt-opt-v2"), r => r.Type == Core.Events.EventType.Completion));
    }

    [Fact]
    public async Task AppendAsync_EmptyExperiment_ViolatesTheCheckAndStoresNothing()
    {
        var sut = CreateStore();
        var batch = TestEvents.Exposures(10);
        batch[5] = batch[5] with { Experiment = "" };

        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => sut.AppendAsync(batch, TestContext.Current.CancellationToken));

        Assert.Equal(Npgsql.PostgresErrorCodes.CheckViolation, ex.SqlState);
        Assert.Equal(0L, postgres.Scalar("SELECT COUNT(*) FROM events"));
    }
}
