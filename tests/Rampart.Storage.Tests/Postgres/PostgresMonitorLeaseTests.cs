using Rampart.Storage.Postgres;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresMonitorLeaseTests : IDisposable
{
    private readonly TestPostgres postgres = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => postgres.Dispose();

    [Fact]
    public async Task TryAcquireAsync_HeldByAnotherServer_ReturnsNullUntilReleased()
    {
        var (a, b) = (Lease(), Lease());

        var held = await a.TryAcquireAsync("prompt-opt-v2", Ct);
        var refused = await b.TryAcquireAsync("prompt-opt-v2", Ct);
        await held!.DisposeAsync();
        var later = await b.TryAcquireAsync("prompt-opt-v2", Ct);

        Assert.Null(refused);
        Assert.NotNull(later);
        await later.DisposeAsync();
    }

    [Fact]
    public async Task TryAcquireAsync_OtherExperiment_IsGranted()
    {
        var (a, b) = (Lease(), Lease());

        await using var first = await a.TryAcquireAsync("one", Ct);
        await using var second = await b.TryAcquireAsync("two", Ct);

        Assert.NotNull(first);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task TryAcquireAsync_ManyServersAtOnce_GrantsExactlyOne()
    {
        var leases = Enumerable.Range(0, 6).Select(_ => Lease()).ToList();

        var results = await Task.WhenAll(leases.Select(l => Task.Run(() => l.TryAcquireAsync("prompt-opt-v2", Ct), Ct)));

        Assert.Single(results, r => r is not null);
        foreach (var held in results.Where(r => r is not null))
        {
            await held!.DisposeAsync();
        }
    }

    [Fact]
    public async Task TryAcquireAsync_SameExperimentInAnotherSchema_IsIndependent()
    {
        using var other = new TestPostgres();
        var elsewhere = new PostgresMonitorLease(other.Own(new PostgresDatabase(other.ConnectionString)));

        await using var here = await Lease().TryAcquireAsync("prompt-opt-v2", Ct);
        await using var there = await elsewhere.TryAcquireAsync("prompt-opt-v2", Ct);

        Assert.NotNull(here);
        Assert.NotNull(there);
    }

    private PostgresMonitorLease Lease() => new(postgres.Own(new PostgresDatabase(postgres.ConnectionString)));
}
