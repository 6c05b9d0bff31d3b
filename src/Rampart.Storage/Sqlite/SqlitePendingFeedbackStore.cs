using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary><see cref="IPendingFeedbackStore"/> on a SQLite file: the <c>pending_feedback</c> table.</summary>
public sealed class SqlitePendingFeedbackStore : IPendingFeedbackStore
{
    private readonly SqliteDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public SqlitePendingFeedbackStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task AddAsync(PendingFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command(
            "INSERT OR IGNORE INTO pending_feedback (id, request_id, score, value, comment, ts) VALUES ($id, $request_id, $score, $value, $comment, $ts);");
        command.Parameters.AddValue("$id", feedback.Id);
        command.Parameters.AddValue("$request_id", feedback.RequestId);
        command.Parameters.AddValue("$score", feedback.Score);
        command.Parameters.AddValue("$value", feedback.Value);
        command.Parameters.AddValue("$comment", feedback.Comment);
        command.Parameters.AddValue("$ts", StorageText.Timestamp(feedback.Ts));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingFeedback>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("SELECT id, request_id, score, value, comment, ts FROM pending_feedback ORDER BY ts, id;");
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<PendingFeedback>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pending.Add(new PendingFeedback(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), StorageText.ParseTimestamp(reader.GetString(5))));
        }

        return pending;
    }

    /// <inheritdoc />
    public async Task RemoveAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        await DeleteAsync(ids, countExpired: false, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<int> ExpireAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        DeleteAsync(ids, countExpired: true, cancellationToken);

    /// <inheritdoc />
    public async Task<long> CountExpiredAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command($"SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = '{ExpiredCounter}';");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string ExpiredCounter = "feedback_expired";

    private async Task<int> DeleteAsync(IReadOnlyCollection<string> ids, bool countExpired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.Command("DELETE FROM pending_feedback WHERE id = $id;", transaction);
        var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
        var deleted = 0;
        foreach (var each in ids)
        {
            id.Value = each;
            deleted += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (countExpired && deleted > 0)
        {
            // Counted in the same transaction as the delete: a piece another process already expired is not counted twice.
            using var count = connection.Command(
                $"INSERT INTO counters (name, value) VALUES ('{ExpiredCounter}', $n) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value;", transaction);
            count.Parameters.AddWithValue("$n", deleted);
            await count.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
