using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Rampart.Core.Access;

namespace Rampart.Storage.Sqlite;

/// <summary><see cref="IKeyStore"/> on a SQLite file: the <c>keys</c> table holds names, scopes and SHA-256 hashes, never keys.</summary>
public sealed class SqliteKeyStore : IKeyStore
{
    private const int ConstraintViolation = 19;
    private const string Insert = "INSERT INTO keys (id, name, scope, hash, created_at) VALUES ($id, $name, $scope, $hash, $created_at);";

    private readonly SqliteDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public SqliteKeyStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task CreateAsync(AccessKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command(Insert);
        Bind(command, key);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == ConstraintViolation)
        {
            throw new KeyConflictException($"A key named '{key.Name}' already exists; choose another name.", e);
        }
    }

    /// <inheritdoc />
    public async Task<bool> CreateFirstAsync(AccessKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // BEGIN IMMEDIATE: of servers starting together on an empty file, one sees no key and inserts; the others wait, then see it.
        using var transaction = connection.BeginTransaction(deferred: false);
        if (Convert.ToInt64(connection.Scalar("SELECT COUNT(*) FROM keys;", transaction), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            return false;
        }

        using var command = connection.Command(Insert, transaction);
        Bind(command, key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("DELETE FROM keys WHERE name = $name;");
        command.Parameters.AddValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AccessKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("SELECT id, name, scope, hash, created_at FROM keys ORDER BY created_at, id;");
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<AccessKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var scope = KeyScopes.TryParse(reader.GetString(2), out var parsed) ? parsed.Value
                : throw new InvalidDataException($"keys.scope '{reader.GetString(2)}' is not a scope.");
            keys.Add(new AccessKey(reader.GetString(0), reader.GetString(1), scope,
                ImmutableArray.Create((byte[])reader.GetValue(3)), StorageText.ParseTimestamp(reader.GetString(4))));
        }

        return keys;
    }

    private static void Bind(SqliteCommand command, AccessKey key)
    {
        command.Parameters.AddValue("$id", key.Id);
        command.Parameters.AddValue("$name", key.Name);
        command.Parameters.AddValue("$scope", key.Scope.Name());
        command.Parameters.AddValue("$hash", key.Hash.ToArray());
        command.Parameters.AddValue("$created_at", StorageText.Timestamp(key.CreatedAt));
    }
}
