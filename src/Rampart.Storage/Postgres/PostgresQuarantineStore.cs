using Rampart.Core.Events;

namespace Rampart.Storage.Postgres;

/// <summary><see cref="IQuarantineStore"/> on PostgreSQL: the <c>quarantined_events</c> table.</summary>
public sealed class PostgresQuarantineStore : IQuarantineStore
{
    private readonly PostgresDatabase database;

    /// <summary>A store on <paramref name="database"/>, which other stores may share.</summary>
    public PostgresQuarantineStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <inheritdoc />
    public async Task AddAsync(QuarantinedEvent quarantined, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quarantined);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Every server sharing the database follows the same events: the first to set one aside keeps it.
        await using var command = connection.Command("""
            INSERT INTO quarantined_events (position, experiment, event_id, event, error, quarantined_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (position) DO NOTHING;
            """)
            .With(quarantined.Position).With(quarantined.Experiment).With(quarantined.EventId).With(quarantined.EventJson).With(quarantined.Error)
            .WithTime(quarantined.QuarantinedAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QuarantinedEvent>> ListAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("""
            SELECT position, experiment, event_id, event, error, quarantined_at FROM quarantined_events
            WHERE position > $1 ORDER BY position LIMIT $2;
            """).With(after).With(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<QuarantinedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new QuarantinedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetText(2), reader.GetString(3), reader.GetString(4), reader.GetTime(5)));
        }

        return list;
    }
}
