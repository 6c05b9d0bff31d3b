namespace Rampart.Core.Access;

/// <summary>Persistence of API keys (hashed; see <see cref="AccessKeys"/>).</summary>
public interface IKeyStore
{
    /// <summary>Stores a new key.</summary>
    /// <exception cref="KeyConflictException">when a key with its name already exists.</exception>
    Task CreateAsync(AccessKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="key"/> only when no key exists yet, atomically (servers starting together on an empty
    /// database create one first admin key between them); true when it was stored.
    /// </summary>
    Task<bool> CreateFirstAsync(AccessKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the key named <paramref name="name"/>: it is deleted, so no server accepts it once its key ring re-reads the
    /// store (within a second). False when no key has that name.
    /// </summary>
    Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every key, oldest first.</summary>
    Task<IReadOnlyList<AccessKey>> ListAsync(CancellationToken cancellationToken = default);
}
