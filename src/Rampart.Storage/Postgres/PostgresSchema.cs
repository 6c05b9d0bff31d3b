using System.Collections.Immutable;
using Npgsql;

namespace Rampart.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as ordered migration scripts. Version <c>n</c> is <see cref="Migrations"/>[n − 1]; the
/// database records the versions it has in <c>schema_version</c>. Scripts are append-only: never edit one that has
/// shipped. The tables mirror SQLite's (docs/storage.md), with PostgreSQL's types.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Version 1: experiments with their range-table history and audit log, events, keys, feedback waiting for its completion.</summary>
    private const string V1 = """
        CREATE TABLE experiments (
            key              text        NOT NULL PRIMARY KEY,
            definition       text        NOT NULL,
            state            text        NOT NULL CHECK (state IN ('draft', 'running', 'paused', 'completed')),
            winner           text,
            version          bigint      NOT NULL CHECK (version >= 1),
            created_at       timestamptz NOT NULL,
            stage_started_at timestamptz,
            rolled_back      text        NOT NULL
        );

        CREATE TABLE allocations (
            experiment text        NOT NULL REFERENCES experiments (key),
            idx        integer     NOT NULL CHECK (idx >= 0),
            stage      integer     NOT NULL CHECK (stage >= 0),
            kind       text        NOT NULL CHECK (kind IN ('stage', 'custom', 'rollback', 'promotion')),
            at         timestamptz NOT NULL,
            ranges     text        NOT NULL,
            PRIMARY KEY (experiment, idx)
        );

        CREATE TABLE audit (
            experiment text        NOT NULL REFERENCES experiments (key),
            seq        integer     NOT NULL CHECK (seq >= 1),
            ts         timestamptz NOT NULL,
            who        text        NOT NULL,
            action     text        NOT NULL CHECK (action IN ('create', 'start', 'pause', 'advance', 'stage', 'rollback', 'promote', 'complete')),
            variant    text,
            reason     text        NOT NULL,
            metrics    text        NOT NULL,
            PRIMARY KEY (experiment, seq)
        );

        -- seq is the feed's position: appends hold an advisory lock until they commit, so seq order is commit order.
        CREATE TABLE events (
            seq               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            experiment        text        NOT NULL CHECK (experiment <> ''),
            type              text        NOT NULL CHECK (type IN ('exposure', 'completion', 'feedback')),
            ts                timestamptz NOT NULL,
            id                text        UNIQUE,
            variant           text        NOT NULL,
            unit              text        NOT NULL,
            stage             integer,
            request_id        text,
            latency_ms        double precision,
            ttft_ms           double precision,
            prompt_tokens     bigint,
            completion_tokens bigint,
            cost_usd          double precision,
            error             text,
            model             text,
            input             text,
            output            text,
            score             text,
            value             double precision,
            comment           text,
            extra             text
        );

        CREATE INDEX events_by_experiment ON events (experiment, seq);
        CREATE INDEX events_completion_by_request ON events (request_id) WHERE type = 'completion' AND request_id IS NOT NULL;
        -- For retention (DELETE … WHERE ts < …): events arrive roughly in time order, so a BRIN index finds old ones at
        -- almost no cost per insert, where a B-tree would be a fifth index to update on every event.
        CREATE INDEX events_by_ts ON events USING brin (ts);

        CREATE TABLE keys (
            id         text        NOT NULL PRIMARY KEY,
            name       text        NOT NULL UNIQUE,
            scope      text        NOT NULL CHECK (scope IN ('admin', 'ingest', 'read')),
            hash       bytea       NOT NULL UNIQUE CHECK (length(hash) = 32),
            created_at timestamptz NOT NULL
        );

        CREATE TABLE pending_feedback (
            id         text             NOT NULL PRIMARY KEY,
            request_id text             NOT NULL,
            score      text             NOT NULL,
            value      double precision NOT NULL,
            comment    text,
            ts         timestamptz      NOT NULL
        );
        """;

    /// <summary>
    /// Version 2: events the results follower set aside (quarantined), one row per stored event, keyed by its position
    /// (<c>events.seq</c>); the event itself stays in <c>events</c>.
    /// </summary>
    private const string V2 = """
        CREATE TABLE quarantined_events (
            position       bigint      NOT NULL PRIMARY KEY,
            experiment     text        NOT NULL,
            event_id       text,
            event          text        NOT NULL,
            error          text        NOT NULL,
            quarantined_at timestamptz NOT NULL
        );
        """;

    /// <summary>Version 3: running totals that outlive the rows they count (feedback that expired unjoined).</summary>
    private const string V3 = """
        CREATE TABLE counters (
            name  text   NOT NULL PRIMARY KEY,
            value bigint NOT NULL CHECK (value >= 0)
        );
        """;

    /// <summary>Version 4: who gave a feedback score (<c>judge</c> for an LLM judge; null for a person).</summary>
    private const string V4 = """
        ALTER TABLE events ADD COLUMN source text;
        """;

    /// <summary>
    /// Version 5: shadow calls (true on a shadow call's completion or a verdict on its answer, else null) and the request id
    /// a shadow call pairs with (on the shadow completion and on the served completion it paired with).
    /// </summary>
    private const string V5 = """
        ALTER TABLE events ADD COLUMN shadow boolean;
        ALTER TABLE events ADD COLUMN pair_id text;
        """;

    /// <summary>Version 6: the attributes of the unit an exposure carries (a JSON object; docs/targeting.md).</summary>
    private const string V6 = """
        ALTER TABLE events ADD COLUMN attributes text;
        """;

    /// <summary>Version 7: the audit log records targeting changes (<c>target</c>) and shadow settings (<c>shadow</c>).</summary>
    private const string V7 = """
        ALTER TABLE audit DROP CONSTRAINT audit_action_check;
        ALTER TABLE audit ADD CONSTRAINT audit_action_check
            CHECK (action IN ('create', 'start', 'pause', 'advance', 'stage', 'rollback', 'promote', 'complete', 'target', 'shadow'));
        """;

    /// <summary>
    /// Version 8: checkpoints of the results' aggregates, their bytes in chunks, and the highest position whose events
    /// were pruned (docs/storage.md, "Checkpoints" and "Retention").
    /// </summary>
    private const string V8 = """
        CREATE TABLE checkpoints (
            id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            position   bigint      NOT NULL CHECK (position >= 0),
            format     integer     NOT NULL,
            length     bigint      NOT NULL CHECK (length >= 0),
            hash       text        NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE TABLE checkpoint_chunks (
            checkpoint bigint  NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
            n          integer NOT NULL CHECK (n >= 0),
            data       bytea   NOT NULL,
            PRIMARY KEY (checkpoint, n)
        );
        ALTER TABLE checkpoint_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
        CREATE TABLE retention (
            id             integer NOT NULL PRIMARY KEY CHECK (id = 1),
            pruned_through bigint  NOT NULL CHECK (pruned_through >= 0)
        );
        CREATE TABLE pruned_experiments (experiment text NOT NULL PRIMARY KEY);
        """;

    /// <summary>
    /// Version 9: appends no longer take turns (docs/decisions/0016-postgres-concurrent-appends.md). Each event belongs
    /// to a batch (<c>batch</c>, drawn from <c>event_batch_ids</c> in any order) at an offset in it (<c>ord</c>); a
    /// batch's <c>event_batches</c> row is inserted last, under the events' advisory lock, and takes the positions
    /// <c>first</c>…<c>last</c> right after the last committed batch's, so positions are commit order, without gaps. An
    /// event's position is <c>first + ord</c>. Existing rows keep their position <c>seq</c>: each run of 2^20 positions
    /// becomes one batch (<c>seq &gt;&gt; 20</c>, first <c>seq &amp; ~0xFFFFF</c>), so they read first, in their old
    /// order, and quarantined rows keyed by <c>seq</c> still name them.
    /// </summary>
    private const string V9 = """
        ALTER TABLE events ADD COLUMN batch bigint, ADD COLUMN ord integer;
        UPDATE events SET batch = seq >> 20, ord = (seq & 1048575)::integer;
        ALTER TABLE events DROP COLUMN seq;
        ALTER TABLE events ALTER COLUMN batch SET NOT NULL, ALTER COLUMN ord SET NOT NULL,
            ADD CONSTRAINT events_ord_check CHECK (ord >= 0);
        ALTER TABLE events ADD PRIMARY KEY (batch, ord);
        CREATE INDEX events_by_experiment ON events (experiment, batch, ord);

        CREATE TABLE event_batches (
            batch bigint NOT NULL PRIMARY KEY,
            first bigint NOT NULL CHECK (first >= 0),
            last  bigint NOT NULL UNIQUE CHECK (last >= first)
        );
        INSERT INTO event_batches (batch, first, last) SELECT batch, batch << 20, MAX((batch << 20) + ord) FROM events GROUP BY batch;

        CREATE SEQUENCE event_batch_ids;
        SELECT setval('event_batch_ids', COALESCE(MAX(batch), 0) + 1, false) FROM event_batches;
        """;

    /// <summary>
    /// Version 10: the indexed text columns of <c>events</c> (<c>id</c>, <c>experiment</c>, <c>request_id</c>) compare
    /// bytes (<c>COLLATE "C"</c>) instead of the database's locale. Every appended event inserts into the indexes on
    /// them, and a locale's comparison (<c>strcoll</c>) was the largest part of that; they are identifiers, never sorted
    /// for people, and equality is the same in both (PostgreSQL's locales break ties by bytes). Changing a column's
    /// collation rebuilds its indexes, not the table.
    /// </summary>
    private const string V10 = """
        ALTER TABLE events
            ALTER COLUMN id TYPE text COLLATE "C",
            ALTER COLUMN experiment TYPE text COLLATE "C",
            ALTER COLUMN request_id TYPE text COLLATE "C";
        """;

    /// <summary>Every migration, oldest first.</summary>
    public static readonly ImmutableArray<string> Migrations = [V1, V2, V3, V4, V5, V6, V7, V8, V9, V10];

    /// <summary>The newest version.</summary>
    public static int Latest => Migrations.Length;

    /// <summary>
    /// Applies the migrations the schema lacks in one transaction, under an advisory lock: a server starting at the same
    /// time waits, then finds them applied.
    /// </summary>
    public static async Task MigrateAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(PostgresLocks.LockMigrations, transaction, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
            transaction, cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(
            await connection.ScalarAsync("SELECT COALESCE(MAX(version), 0) FROM schema_version;", transaction, cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"PostgreSQL database '{database}' has schema version {current}, newer than this Rampart's {Latest}; upgrade Rampart to open it.");
        }

        for (var version = current + 1; version <= Latest; version++)
        {
            await connection.ExecuteAsync(Migrations[version - 1], transaction, cancellationToken).ConfigureAwait(false);
            await using var record = connection.Command("INSERT INTO schema_version (version) VALUES ($1);", transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
