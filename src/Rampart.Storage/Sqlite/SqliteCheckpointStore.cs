using System.Runtime.InteropServices;
using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary><see cref="ICheckpointStore"/> on a SQLite file: the <c>checkpoints</c> and <c>checkpoint_chunks</c> tables.</summary>
public sealed class SqliteCheckpointStore : ICheckpointStore
{
    private readonly SqliteDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public SqliteCheckpointStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    /// <remarks>
    /// SQLite has one writer: a checkpoint of gigabytes in one transaction would hold event appends for seconds. So the
    /// header goes in first without its hash (unlisted), each chunk in a transaction of its own, and the hash last, which
    /// lists it; one left without a hash by a stop part-way is deleted by the next save.
    /// </remarks>
    public async Task SaveAsync(CheckpointInfo checkpoint, IReadOnlyList<ReadOnlyMemory<byte>> chunks, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        ArgumentException.ThrowIfNullOrEmpty(checkpoint.Hash);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        long id;
        using (var transaction = connection.BeginTransaction(deferred: false))
        using (var header = connection.Command("""
            INSERT INTO checkpoints (position, format, length, hash, created_at) VALUES ($position, $format, $length, '', $at) RETURNING id;
            """, transaction))
        {
            header.Parameters.AddValue("$position", checkpoint.Position);
            header.Parameters.AddValue("$format", checkpoint.Format);
            header.Parameters.AddValue("$length", checkpoint.Length);
            header.Parameters.AddValue("$at", StorageText.Timestamp(checkpoint.CreatedAt));
            id = (long)(await header.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            transaction.Commit();
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var insert = connection.Command("INSERT INTO checkpoint_chunks (checkpoint, n, data) VALUES ($id, $n, $data);", transaction);
            insert.Parameters.AddValue("$id", id);
            insert.Parameters.AddValue("$n", i);
            insert.Parameters.AddValue("$data", Whole(chunks[i]));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
        }

        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using var publish = connection.Command("UPDATE checkpoints SET hash = $hash WHERE id = $id;", transaction);
            publish.Parameters.AddValue("$hash", checkpoint.Hash);
            publish.Parameters.AddValue("$id", id);
            if (await publish.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new InvalidOperationException($"Checkpoint {id} was deleted while it was being written (by another process saving one).");
            }

            using var prune = connection.Command("""
                DELETE FROM checkpoints WHERE (hash = '' AND id < $id)
                    OR (hash <> '' AND id NOT IN (SELECT id FROM checkpoints WHERE hash <> '' ORDER BY id DESC LIMIT $keep));
                """, transaction);
            prune.Parameters.AddValue("$id", id);
            prune.Parameters.AddValue("$keep", keep);
            await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckpointInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("SELECT id, position, format, length, hash, created_at FROM checkpoints WHERE hash <> '' ORDER BY id DESC;");
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<CheckpointInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new CheckpointInfo(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetString(4),
                StorageText.ParseTimestamp(reader.GetString(5))));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<byte[]>> ReadAsync(long id, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("SELECT data FROM checkpoint_chunks WHERE checkpoint = $id ORDER BY n;");
        command.Parameters.AddValue("$id", id);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var chunks = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chunks.Add((byte[])reader.GetValue(0));
        }

        return chunks;
    }

    // Microsoft.Data.Sqlite binds whole arrays only.
    private static byte[] Whole(ReadOnlyMemory<byte> chunk) =>
        MemoryMarshal.TryGetArray(chunk, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : chunk.ToArray();
}
