using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary>
/// <see cref="IEventRetention"/> on a SQLite file: deletes in windows of positions, each window one short transaction that
/// also records the highest position deleted, so writers wait at most one window and a stop part-way loses nothing.
/// </summary>
public sealed class SqliteEventRetention : IEventRetention
{
    private const long Window = 50_000;
    private readonly SqliteDatabase database;

    /// <summary>Retention on <paramref name="database"/>, which other stores may share.</summary>
    public SqliteEventRetention(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task<long> PruneAsync(DateTimeOffset before, long throughPosition, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(throughPosition);
        var cutoff = StorageText.Timestamp(before);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (dryRun)
        {
            using var count = connection.Command("SELECT COUNT(*) FROM events WHERE seq <= $through AND ts < $before;");
            count.Parameters.AddValue("$through", throughPosition);
            count.Parameters.AddValue("$before", cutoff);
            return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        long deleted = 0;
        var first = (long)(connection.Scalar("SELECT COALESCE(MIN(seq), 0) FROM events;") ?? 0L);
        for (var from = Math.Max(0, first - 1); from < throughPosition; from += Window)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var to = Math.Min(throughPosition, from + Window);
            using var transaction = connection.BeginTransaction(deferred: false);
            using var highest = connection.Command("SELECT MAX(seq) FROM events WHERE seq > $from AND seq <= $to AND ts < $before;", transaction);
            highest.Parameters.AddValue("$from", from);
            highest.Parameters.AddValue("$to", to);
            highest.Parameters.AddValue("$before", cutoff);
            if (await highest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long last)
            {
                continue;
            }

            using var experiments = connection.Command("""
                INSERT OR IGNORE INTO pruned_experiments (experiment)
                SELECT DISTINCT experiment FROM events WHERE seq > $from AND seq <= $to AND ts < $before;
                """, transaction);
            experiments.Parameters.AddValue("$from", from);
            experiments.Parameters.AddValue("$to", to);
            experiments.Parameters.AddValue("$before", cutoff);
            await experiments.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            using var delete = connection.Command("DELETE FROM events WHERE seq > $from AND seq <= $to AND ts < $before;", transaction);
            delete.Parameters.AddValue("$from", from);
            delete.Parameters.AddValue("$to", to);
            delete.Parameters.AddValue("$before", cutoff);
            deleted += await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            using var record = connection.Command("""
                INSERT INTO retention (id, pruned_through) VALUES (1, $last)
                ON CONFLICT (id) DO UPDATE SET pruned_through = MAX(pruned_through, excluded.pruned_through);
                """, transaction);
            record.Parameters.AddValue("$last", last);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
        }

        return deleted;
    }

    /// <inheritdoc />
    public async Task<bool> IsPrunedAsync(string experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.Command("SELECT COUNT(*) FROM pruned_experiments WHERE experiment = $experiment;");
        command.Parameters.AddValue("$experiment", experiment);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    /// <inheritdoc />
    public async Task<long> PrunedThroughAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (long)(connection.Scalar("SELECT COALESCE(MAX(pruned_through), 0) FROM retention;") ?? 0L);
    }
}
