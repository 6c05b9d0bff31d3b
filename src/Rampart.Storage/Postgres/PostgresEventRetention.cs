using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IEventRetention"/> on PostgreSQL: deletes in windows of positions, each window one transaction that also
/// records the highest position deleted, so a stop part-way loses nothing and records no more than was deleted. An
/// event's position is its batch's first position plus its offset (<see cref="PostgresEventRows"/>); a window finds its
/// batches through <c>event_batches.last</c>, then their events by primary key.
/// </summary>
public sealed class PostgresEventRetention : IEventRetention
{
    private const long Window = 50_000;

    // The batches that hold positions in ($1, $2]: from the first whose last position is past $1 to the one holding $2.
    private const string WindowBatches = """
        ARRAY(SELECT batch FROM event_batches
              WHERE last > $1 AND last <= COALESCE((SELECT MIN(last) FROM event_batches WHERE last >= $2), 9223372036854775807))
        """;

    private static readonly string InWindow =
        $"e.batch = ANY({WindowBatches}) AND b.batch = e.batch AND {PostgresEventRows.PositionSql} > $1 AND {PostgresEventRows.PositionSql} <= $2 AND e.ts < $3";

    // The lowest position still stored: the first batch, in position order, that has an event left.
    private const string FirstPosition = """
        SELECT COALESCE((SELECT b.first + left_.ord FROM event_batches b
                         CROSS JOIN LATERAL (SELECT ord FROM events WHERE events.batch = b.batch ORDER BY ord LIMIT 1) left_
                         ORDER BY b.last LIMIT 1), 0);
        """;
    private readonly PostgresDatabase database;

    /// <summary>Retention on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresEventRetention(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task<long> PruneAsync(DateTimeOffset before, long throughPosition, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(throughPosition);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (dryRun)
        {
            await using var count = connection.Command($"SELECT COUNT(*) FROM {PostgresEventRows.Committed} WHERE {PostgresEventRows.PositionSql} <= $1 AND e.ts < $2;").With(throughPosition).WithTime(before);
            return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        long deleted = 0;
        var first = (long)(await connection.ScalarAsync(FirstPosition, null, cancellationToken).ConfigureAwait(false))!;
        for (var from = Math.Max(0, first - 1); from < throughPosition; from += Window)
        {
            var to = Math.Min(throughPosition, from + Window);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var experiments = connection.Command($"""
                INSERT INTO pruned_experiments (experiment)
                SELECT DISTINCT e.experiment FROM events e, event_batches b WHERE {InWindow}
                ON CONFLICT (experiment) DO NOTHING;
                """, transaction).With(from).With(to).WithTime(before);
            await experiments.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var delete = connection.Command($"""
                WITH gone AS (DELETE FROM events e USING event_batches b WHERE {InWindow} RETURNING {PostgresEventRows.PositionSql} AS position)
                SELECT COUNT(*), MAX(position) FROM gone;
                """, transaction).With(from).With(to).WithTime(before);
            long count;
            long? last;
            await using (var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                (count, last) = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
            }

            if (last is { } highest)
            {
                await using var record = connection.Command("""
                    INSERT INTO retention (id, pruned_through) VALUES (1, $1)
                    ON CONFLICT (id) DO UPDATE SET pruned_through = GREATEST(retention.pruned_through, excluded.pruned_through);
                    """, transaction).With(highest);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            deleted += count;
        }

        return deleted;
    }

    /// <inheritdoc />
    public async Task<bool> IsPrunedAsync(string experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT EXISTS (SELECT 1 FROM pruned_experiments WHERE experiment = $1);").With(experiment);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<long> PrunedThroughAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (long)(await connection.ScalarAsync("SELECT COALESCE(MAX(pruned_through), 0) FROM retention;", null, cancellationToken).ConfigureAwait(false))!;
    }
}
