using Npgsql;
using NpgsqlTypes;
using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary><see cref="ICheckpointStore"/> on PostgreSQL: the <c>checkpoints</c> and <c>checkpoint_chunks</c> tables.</summary>
public sealed class PostgresCheckpointStore : ICheckpointStore
{
    private readonly PostgresDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresCheckpointStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task SaveAsync(CheckpointInfo checkpoint, IReadOnlyList<ReadOnlyMemory<byte>> chunks, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var header = connection.Command(
            "INSERT INTO checkpoints (position, format, length, hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id;", transaction)
            .With(checkpoint.Position).With(checkpoint.Format).With(checkpoint.Length).With(checkpoint.Hash).WithTime(checkpoint.CreatedAt);
        var id = (long)(await header.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        for (var i = 0; i < chunks.Count; i++)
        {
            await using var insert = connection.Command("INSERT INTO checkpoint_chunks (checkpoint, n, data) VALUES ($1, $2, $3);", transaction).With(id).With(i);
            insert.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = chunks[i] });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var prune = connection.Command(
            "DELETE FROM checkpoints WHERE id NOT IN (SELECT id FROM checkpoints ORDER BY id DESC LIMIT $1);", transaction).With((long)keep);
        await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckpointInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT id, position, format, length, hash, created_at FROM checkpoints ORDER BY id DESC;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<CheckpointInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new CheckpointInfo(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetString(4), reader.GetTime(5)));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<byte[]>> ReadAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT data FROM checkpoint_chunks WHERE checkpoint = $1 ORDER BY n;").With(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var chunks = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chunks.Add(reader.GetFieldValue<byte[]>(0));
        }

        return chunks;
    }
}
