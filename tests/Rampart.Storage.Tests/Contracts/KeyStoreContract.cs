using System.Collections.Immutable;
using Rampart.Core.Access;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>What every <see cref="IKeyStore"/> must do; every store of one test shares that test's (empty at first) database.</summary>
public abstract class KeyStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, 123, 456, TimeSpan.Zero);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store over this test's database, as another process would open it.</summary>
    protected abstract IKeyStore CreateStore();

    [Fact]
    public async Task ListAsync_AfterCreate_ReturnsEveryKeyOldestFirstWithEveryField()
    {
        var sut = CreateStore();
        var later = AccessKeys.Describe("rpk_second-key-0123456789abcdef", "dashboard", KeyScope.Read, T0.AddMinutes(1));
        var first = AccessKeys.Describe("rpk_first-key-0123456789abcdef", "ingest-app", KeyScope.Ingest, T0);
        await sut.CreateAsync(later, Ct);
        await sut.CreateAsync(first, Ct);

        var keys = await CreateStore().ListAsync(Ct);

        Assert.Equal([first.Name, later.Name], keys.Select(k => k.Name));
        Assert.Equal((first.Id, first.Scope, first.CreatedAt), (keys[0].Id, keys[0].Scope, keys[0].CreatedAt));
        Assert.Equal(first.Hash.AsEnumerable(), keys[0].Hash.AsEnumerable());
    }

    [Fact]
    public async Task CreateAsync_NameTaken_ThrowsConflictNamingIt()
    {
        var sut = CreateStore();
        await sut.CreateAsync(AccessKeys.Describe("rpk_first-key-0123456789abcdef", "ci", KeyScope.Ingest, T0), Ct);

        var ex = await Assert.ThrowsAsync<KeyConflictException>(() =>
            CreateStore().CreateAsync(AccessKeys.Describe("rpk_other-key-0123456789abcdef", "ci", KeyScope.Read, T0), Ct));

        Assert.Contains("'ci'", ex.Message, StringComparison.Ordinal);
        Assert.Single(await sut.ListAsync(Ct));
    }

    [Fact]
    public async Task RevokeAsync_Named_RemovesOnlyThatKeyForEveryStore()
    {
        var sut = CreateStore();
        await sut.CreateAsync(AccessKeys.Describe("rpk_first-key-0123456789abcdef", "ci", KeyScope.Ingest, T0), Ct);
        await sut.CreateAsync(AccessKeys.Describe("rpk_second-key-0123456789abcdef", "dashboard", KeyScope.Read, T0), Ct);

        Assert.True(await sut.RevokeAsync("ci", Ct));
        Assert.False(await sut.RevokeAsync("ci", Ct));
        Assert.False(await sut.RevokeAsync("nobody", Ct));

        Assert.Equal(["dashboard"], (await CreateStore().ListAsync(Ct)).Select(k => k.Name));
    }

    [Fact]
    public async Task CreateFirstAsync_OnlyWhileNoKeyExists()
    {
        var sut = CreateStore();

        Assert.True(await sut.CreateFirstAsync(AccessKeys.Describe("rpk_admin-key-0123456789abcdef", "admin", KeyScope.Admin, T0), Ct));
        Assert.False(await sut.CreateFirstAsync(AccessKeys.Describe("rpk_admin2-key-0123456789abcdef", "admin2", KeyScope.Admin, T0), Ct));
        Assert.Equal(["admin"], (await sut.ListAsync(Ct)).Select(k => k.Name));
    }

    [Fact]
    public async Task CreateFirstAsync_FourStoresAtOnce_StoreExactlyOneKey()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => CreateStore()).ToList();
        var start = new Rendezvous(stores.Count);

        var created = await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
        {
            await start.ArriveAsync().WaitAsync(Ct);
            return await store.CreateFirstAsync(AccessKeys.Describe($"rpk_admin-{i}-key-0123456789abcdef", $"admin-{i}", KeyScope.Admin, T0), Ct);
        }, Ct)));

        Assert.Single(created, c => c);
        var stored = Assert.Single(await CreateStore().ListAsync(Ct));
        Assert.Equal($"admin-{Array.IndexOf(created, true)}", stored.Name);
    }
}
