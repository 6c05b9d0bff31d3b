using System.Collections.Immutable;
using Npgsql;
using Rampart.Core.Access;

namespace Rampart.Storage.Postgres;

/// <summary><see cref="IKeyStore"/> on PostgreSQL: the <c>keys</c> table holds names, scopes and SHA-256 hashes, never keys.</summary>
public sealed class PostgresKeyStore : IKeyStore
{
    private const string Insert = "INSERT INTO keys (id, name, scope, hash, created_at) VALUES ($1, $2, $3, $4, $5);";

    private readonly PostgresDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresKeyStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task CreateAsync(AccessKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Bind(connection.Command(Insert), key);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new KeyConflictException($"A key named '{key.Name}' already exists; choose another name.", e);
        }
    }

    /// <inheritdoc />
    public async Task<bool> CreateFirstAsync(AccessKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Of servers starting together on an empty database, one takes the lock, sees no key and inserts; the others wait, then see it.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(PostgresLocks.LockFirstKey, transaction, cancellationToken).ConfigureAwait(false);
        if (await connection.ScalarAsync("SELECT 1 FROM keys LIMIT 1;", transaction, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await using var command = Bind(connection.Command(Insert, transaction), key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("DELETE FROM keys WHERE name = $1;").With(name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AccessKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT id, name, scope, hash, created_at FROM keys ORDER BY created_at, id COLLATE \"C\";");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<AccessKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var scope = KeyScopes.TryParse(reader.GetString(2), out var parsed) ? parsed.Value
                : throw new InvalidDataException($"keys.scope '{reader.GetString(2)}' is not a scope.");
            keys.Add(new AccessKey(reader.GetString(0), reader.GetString(1), scope,
                ImmutableArray.Create(reader.GetFieldValue<byte[]>(3)), reader.GetTime(4)));
        }

        return keys;
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, AccessKey key) =>
        command.With(key.Id).With(key.Name).With(key.Scope.Name()).With(key.Hash.ToArray()).WithTime(key.CreatedAt);
}
