using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IEventRetention"/> on PostgreSQL: deletes in windows of positions, each window one transaction that also
/// records the highest position deleted, so a stop part-way loses nothing and records no more than was deleted.
/// </summary>
public sealed class PostgresEventRetention : IEventRetention
{
    private const long Window = 50_000;
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
            await using var count = connection.Command("SELECT COUNT(*) FROM events WHERE seq <= $1 AND ts < $2;").With(throughPosition).WithTime(before);
            return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        long deleted = 0;
        var first = (long)(await connection.ScalarAsync("SELECT COALESCE(MIN(seq), 0) FROM events;", null, cancellationToken).ConfigureAwait(false))!;
        for (var from = Math.Max(0, first - 1); from < throughPosition; from += Window)
        {
            var to = Math.Min(throughPosition, from + Window);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var experiments = connection.Command("""
                INSERT INTO pruned_experiments (experiment)
                SELECT DISTINCT experiment FROM events WHERE seq > $1 AND seq <= $2 AND ts < $3
                ON CONFLICT (experiment) DO NOTHING;
                """, transaction).With(from).With(to).WithTime(before);
            await experiments.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var delete = connection.Command("""
                WITH gone AS (DELETE FROM events WHERE seq > $1 AND seq <= $2 AND ts < $3 RETURNING seq)
                SELECT COUNT(*), MAX(seq) FROM gone;
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
