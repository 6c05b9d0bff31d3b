using System.Security.Cryptography;
using Rampart.Core.Access;

namespace Rampart.Server.Access;

/// <summary>
/// The keys in memory, matched by hash in constant time: a presented key is hashed and compared with every stored hash
/// (<see cref="CryptographicOperations.FixedTimeEquals"/>, no early exit), so timing reveals neither which key nor how
/// much of one matched. The ring re-reads the store when a key is presented and its copy is a second old or more, so a
/// key revoked by <c>rampart keys revoke</c> or by another server is refused by every server within about a second; and
/// when a presented key matches none and the copy is a tenth of a second old, so a key <c>rampart keys create</c> made a
/// moment ago works on its first use (unknown keys cost at most ten reads a second).
/// </summary>
internal sealed partial class KeyRing(IKeyStore store, TimeProvider time, ILogger<KeyRing> logger) : IDisposable
{
    /// <summary>How old the copy of the stored keys may get before a presented key makes the ring re-read them.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    /// <summary>How old the copy may get before a presented key that matches none makes the ring re-read the keys.</summary>
    public static readonly TimeSpan UnknownKeyReloadInterval = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim reloading = new(1, 1);
    private readonly Lock gate = new();
    private volatile AccessKey[] keys = [];
    private long lastLoad = long.MinValue;
    private long changes;

    /// <summary>Reads the keys from the store.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long seen;
            lock (gate)
            {
                seen = changes;
            }

            var loaded = await store.ListAsync(cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                // A key added or revoked through this server while the store was read may be missing from, or still in,
                // what was read: read again rather than bring a revoked key back.
                if (changes == seen)
                {
                    keys = [.. loaded];
                    Interlocked.Exchange(ref lastLoad, time.GetTimestamp());
                    return;
                }
            }
        }
    }

    /// <summary>Adds a key created by this server.</summary>
    public void Add(AccessKey key)
    {
        lock (gate)
        {
            keys = [.. keys, key];
            changes++;
        }
    }

    /// <summary>Forgets the key named <paramref name="name"/> at once (revoked through this server).</summary>
    public void Remove(string name)
    {
        lock (gate)
        {
            keys = [.. keys.Where(k => k.Name != name)];
            changes++;
        }
    }

    /// <summary>The stored key <paramref name="secret"/> is, or null.</summary>
    public async ValueTask<AccessKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = AccessKeys.Hash(secret);
        if (IsOlderThan(ReloadInterval))
        {
            await ReloadAsync(ReloadInterval, cancellationToken).ConfigureAwait(false);
        }

        if (Match(hash.AsSpan()) is { } found)
        {
            return found;
        }

        if (!IsOlderThan(UnknownKeyReloadInterval))
        {
            return null;
        }

        await ReloadAsync(UnknownKeyReloadInterval, cancellationToken).ConfigureAwait(false);
        return Match(hash.AsSpan());
    }

    private bool IsOlderThan(TimeSpan age) => Interlocked.Read(ref lastLoad) == long.MinValue || time.GetElapsedTime(Interlocked.Read(ref lastLoad)) >= age;

    private async Task ReloadAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        await reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsOlderThan(age))
            {
                return; // Another request reloaded while this one waited.
            }

            try
            {
                await LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store is down: keep serving the keys last read (a revocation made meanwhile waits for it), and try
                // again after the interval rather than on every request.
                Interlocked.Exchange(ref lastLoad, time.GetTimestamp());
                LogReloadFailed(logger, e);
            }
        }
        finally
        {
            reloading.Release();
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read the API keys from the store; the keys read last stay in use until it answers.")]
    private static partial void LogReloadFailed(ILogger logger, Exception error);
}
