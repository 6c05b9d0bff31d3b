using System.Security.Cryptography;
using Rampart.Core.Access;

namespace Rampart.Server.Access;

/// <summary>
/// The keys in memory, matched by hash in constant time: a presented key is hashed and compared with every stored hash
/// (<see cref="CryptographicOperations.FixedTimeEquals"/>, no early exit), so timing reveals neither which key nor how
/// much of one matched. A key not found makes the ring re-read the store (at most once a second), which picks up keys
/// created by <c>rampart keys create</c> while the server runs.
/// </summary>
internal sealed class KeyRing(IKeyStore store, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim reloading = new(1, 1);
    private volatile AccessKey[] keys = [];
    private long lastLoad = long.MinValue;

    /// <summary>Reads the keys from the store.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        keys = [.. await store.ListAsync(cancellationToken).ConfigureAwait(false)];
        Interlocked.Exchange(ref lastLoad, time.GetTimestamp());
    }

    /// <summary>Adds a key created by this server.</summary>
    public void Add(AccessKey key) => keys = [.. keys, key];

    /// <summary>The stored key <paramref name="secret"/> is, or null.</summary>
    public async ValueTask<AccessKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = AccessKeys.Hash(secret);
        if (Match(hash.AsSpan()) is { } found)
        {
            return found;
        }

        if (time.GetElapsedTime(Interlocked.Read(ref lastLoad)) < ReloadInterval)
        {
            return null;
        }

        await reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (time.GetElapsedTime(Interlocked.Read(ref lastLoad)) >= ReloadInterval)
            {
                await LoadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            reloading.Release();
        }

        return Match(hash.AsSpan());
    }

    private AccessKey? Match(ReadOnlySpan<byte> hash)
    {
        AccessKey? found = null;
        foreach (var key in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(key.Hash.AsSpan(), hash))
            {
                found = key;
            }
        }

        return found;
    }

    public void Dispose() => reloading.Dispose();
}
