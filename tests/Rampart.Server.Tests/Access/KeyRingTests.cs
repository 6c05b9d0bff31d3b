using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Access;
using Rampart.Server.Access;
using Rampart.Storage.Sqlite;
using Rampart.Testing;

namespace Rampart.Server.Tests.Access;

/// <summary>How the key ring keeps what this server changed while it re-reads the store.</summary>
public sealed class KeyRingTests
{
    [Fact]
    public async Task Remove_WhileAReloadReads_TheRevokedKeyIsRefusedAtOnce()
    {
        using var folder = new TempDirectory();
        var store = new HeldListStore(new SqliteKeyStore(new SqliteDatabase(folder.File("keys.db"))));
        var ops = AccessKeys.Generate("ops", KeyScope.Admin, SeedExperiment.Epoch);
        var ci = AccessKeys.Generate("ci", KeyScope.Ingest, SeedExperiment.Epoch);
        await store.CreateAsync(ops.Stored);
        await store.CreateAsync(ci.Stored);
        var time = new FakeTimeProvider(SeedExperiment.Epoch);
        using var sut = new KeyRing(store, time, NullLogger<KeyRing>.Instance);
        await sut.LoadAsync(CancellationToken.None);

        // A request's key makes the ring re-read the store; the read sees both keys and is held there while 'ci' is
        // revoked through this server, as POST /api/keys/ci/revoke does it.
        time.Advance(KeyRing.ReloadInterval);
        var reading = store.HoldNextList();
        var presented = sut.FindAsync(ops.Secret, CancellationToken.None).AsTask();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await store.RevokeAsync("ci"));
        sut.Remove("ci");
        store.Release();
        await presented.WaitAsync(TimeSpan.FromSeconds(10));

        // The clock has not moved: no later read would bring the revocation, so only the ring's own copy decides.
        Assert.Null(await sut.FindAsync(ci.Secret, CancellationToken.None));
    }

    /// <summary>A store whose next list, once asked for, reads and then waits for <see cref="Release"/> before returning.</summary>
    private sealed class HeldListStore(IKeyStore inner) : IKeyStore
    {
        private readonly ListHold hold = new();

        public Task HoldNextList() => hold.HoldNext();

        public void Release() => hold.Release();

        public Task<IReadOnlyList<AccessKey>> ListAsync(CancellationToken cancellationToken = default) =>
            hold.ListAsync(() => inner.ListAsync(cancellationToken), cancellationToken);

        public Task CreateAsync(AccessKey key, CancellationToken cancellationToken = default) => inner.CreateAsync(key, cancellationToken);

        public Task<bool> CreateFirstAsync(AccessKey key, CancellationToken cancellationToken = default) => inner.CreateFirstAsync(key, cancellationToken);

        public Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default) => inner.RevokeAsync(name, cancellationToken);
    }
}
