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
    public async Task RemoveAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.Command("DELETE FROM pending_feedback WHERE id = $id;", transaction);
        var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
        foreach (var each in ids)
        {
            id.Value = each;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
