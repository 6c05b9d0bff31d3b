using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary><see cref="IPendingFeedbackStore"/> on PostgreSQL: the <c>pending_feedback</c> table.</summary>
public sealed class PostgresPendingFeedbackStore : IPendingFeedbackStore
{
    private readonly PostgresDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresPendingFeedbackStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task AddAsync(PendingFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
            "INSERT INTO pending_feedback (id, request_id, score, value, comment, ts) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING;")
            .With(feedback.Id).With(feedback.RequestId).With(feedback.Score).With(feedback.Value).With(feedback.Comment).WithTime(feedback.Ts);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingFeedback>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT id, request_id, score, value, comment, ts FROM pending_feedback ORDER BY ts, id COLLATE \"C\";");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<PendingFeedback>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pending.Add(new PendingFeedback(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetText(4), reader.GetTime(5)));
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

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("DELETE FROM pending_feedback WHERE id = ANY($1);").With(ids.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> ExpireAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        // One statement: only the rows this call deleted are counted, so servers expiring the same pieces count them once.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"""
            WITH deleted AS (DELETE FROM pending_feedback WHERE id = ANY($1) RETURNING 1),
                 counted AS (INSERT INTO counters (name, value) SELECT '{ExpiredCounter}', COUNT(*) FROM deleted HAVING COUNT(*) > 0
                             ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value)
            SELECT COUNT(*) FROM deleted;
            """).With(ids.ToArray());
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<long> CountExpiredAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = '{ExpiredCounter}';");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string ExpiredCounter = "feedback_expired";
}
