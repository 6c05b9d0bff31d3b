using System.Collections.Immutable;
using Microsoft.Data.Sqlite;

namespace Rampart.Storage.Sqlite;

/// <summary>
/// The schema as ordered migration scripts. Version <c>n</c> is <see cref="Migrations"/>[n − 1]; a file records the
/// versions it has in <c>schema_version</c>. Scripts are append-only: never edit one that has shipped.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Version 1: experiments with their range-table history and audit log; events.</summary>
    private const string V1 = """
        CREATE TABLE experiments (
            key              TEXT    NOT NULL PRIMARY KEY,
            definition       TEXT    NOT NULL,
            state            TEXT    NOT NULL CHECK (state IN ('draft', 'running', 'paused', 'completed')),
            winner           TEXT,
            version          INTEGER NOT NULL CHECK (version >= 1),
            created_at       TEXT    NOT NULL,
            stage_started_at TEXT,
            rolled_back      TEXT    NOT NULL
        );

        CREATE TABLE allocations (
            experiment TEXT    NOT NULL REFERENCES experiments (key),
            idx        INTEGER NOT NULL CHECK (idx >= 0),
            stage      INTEGER NOT NULL CHECK (stage >= 0),
            kind       TEXT    NOT NULL CHECK (kind IN ('stage', 'custom', 'rollback', 'promotion')),
            at         TEXT    NOT NULL,
            ranges     TEXT    NOT NULL,
            PRIMARY KEY (experiment, idx)
        ) WITHOUT ROWID;

        CREATE TABLE audit (
            experiment TEXT    NOT NULL REFERENCES experiments (key),
            seq        INTEGER NOT NULL CHECK (seq >= 1),
            ts         TEXT    NOT NULL,
            who        TEXT    NOT NULL,
            action     TEXT    NOT NULL CHECK (action IN ('create', 'start', 'pause', 'advance', 'stage', 'rollback', 'promote', 'complete')),
            variant    TEXT,
            reason     TEXT    NOT NULL,
            metrics    TEXT    NOT NULL,
            PRIMARY KEY (experiment, seq)
        ) WITHOUT ROWID;

        CREATE TABLE events (
            seq               INTEGER PRIMARY KEY AUTOINCREMENT,
            experiment        TEXT    NOT NULL CHECK (experiment <> ''),
            type              TEXT    NOT NULL CHECK (type = 'exposure' OR type = 'completion' OR type = 'feedback'),
            ts                TEXT    NOT NULL,
            id                TEXT    UNIQUE,
            variant           TEXT    NOT NULL,
            unit              TEXT    NOT NULL,
            stage             INTEGER,
            request_id        TEXT,
            latency_ms        REAL,
            ttft_ms           REAL,
            prompt_tokens     INTEGER,
            completion_tokens INTEGER,
            cost_usd          REAL,
            error             TEXT,
            model             TEXT,
            input             TEXT,
            output            TEXT,
            score             TEXT,
            value             REAL,
            comment           TEXT,
            extra             TEXT
        );

        -- The type CHECK is spelled with ORs: an IN list builds a temporary index on every row inserted, which halved the
        -- insert rate. An index on experiment also orders by rowid (seq): reading one experiment in order needs no sort.
        CREATE INDEX events_by_experiment ON events (experiment);
        """;

    /// <summary>
    /// Version 2: API keys (hashed), feedback waiting for its completion, and completions by request id (for feedback).
    /// </summary>
    private const string V2 = """
        CREATE TABLE keys (
            id         TEXT NOT NULL PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            scope      TEXT NOT NULL CHECK (scope IN ('admin', 'ingest', 'read')),
            hash       BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
            created_at TEXT NOT NULL
        );

        CREATE TABLE pending_feedback (
            id         TEXT NOT NULL PRIMARY KEY,
            request_id TEXT NOT NULL,
            score      TEXT NOT NULL,
            value      REAL NOT NULL,
            comment    TEXT,
            ts         TEXT NOT NULL
        );

        -- Partial: only completions with a request id are indexed, so exposures and feedback cost the insert nothing more.
        CREATE INDEX events_completion_by_request ON events (request_id) WHERE type = 'completion' AND request_id IS NOT NULL;
        """;

    /// <summary>
    /// Version 3: events the results follower set aside (quarantined), one row per stored event, keyed by its position;
    /// the event itself stays in <c>events</c>.
    /// </summary>
    private const string V3 = """
        CREATE TABLE quarantined_events (
            position       INTEGER NOT NULL PRIMARY KEY,
            experiment     TEXT    NOT NULL,
            event_id       TEXT,
            event          TEXT    NOT NULL,
            error          TEXT    NOT NULL,
            quarantined_at TEXT    NOT NULL
        );
        """;

    /// <summary>Version 4: running totals that outlive the rows they count (feedback that expired unjoined).</summary>
    private const string V4 = """
        CREATE TABLE counters (
            name  TEXT    NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL CHECK (value >= 0)
        ) WITHOUT ROWID;
        """;

    /// <summary>Version 5: who gave a feedback score (<c>judge</c> for an LLM judge; null for a person).</summary>
    private const string V5 = """
        ALTER TABLE events ADD COLUMN source TEXT;
        """;

    /// <summary>
    /// Version 6: shadow calls (1 on a shadow call's completion or a verdict on its answer, else null) and the request id a
    /// shadow call pairs with (on the shadow completion and on the served completion it paired with).
    /// </summary>
    private const string V6 = """
        ALTER TABLE events ADD COLUMN shadow INTEGER;
        ALTER TABLE events ADD COLUMN pair_id TEXT;
        """;

    /// <summary>Version 7: the attributes of the unit an exposure carries (a JSON object; docs/targeting.md).</summary>
    private const string V7 = """
        ALTER TABLE events ADD COLUMN attributes TEXT;
        """;

    /// <summary>
    /// Version 9: checkpoints of the results' aggregates, their bytes in chunks, and the highest position whose events
    /// were pruned (docs/storage.md, "Checkpoints" and "Retention").
    /// </summary>
    private const string V9 = """
        CREATE TABLE checkpoints (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            position   INTEGER NOT NULL CHECK (position >= 0),
            format     INTEGER NOT NULL,
            length     INTEGER NOT NULL CHECK (length >= 0),
            hash       TEXT    NOT NULL,
            created_at TEXT    NOT NULL
        );
        CREATE TABLE checkpoint_chunks (
            checkpoint INTEGER NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
            n          INTEGER NOT NULL CHECK (n >= 0),
            data       BLOB    NOT NULL,
            PRIMARY KEY (checkpoint, n)
        );
        CREATE TABLE retention (
            id             INTEGER PRIMARY KEY CHECK (id = 1),
            pruned_through INTEGER NOT NULL CHECK (pruned_through >= 0)
        );
        CREATE TABLE pruned_experiments (experiment TEXT NOT NULL PRIMARY KEY);
        """;

    /// <summary>Version 8: the audit log records targeting changes (<c>target</c>) and shadow settings (<c>shadow</c>); SQLite changes a CHECK by rebuilding the table.</summary>
    private const string V8 = """
        CREATE TABLE audit_v8 (
            experiment TEXT    NOT NULL REFERENCES experiments (key),
            seq        INTEGER NOT NULL CHECK (seq >= 1),
            ts         TEXT    NOT NULL,
            who        TEXT    NOT NULL,
            action     TEXT    NOT NULL CHECK (action IN ('create', 'start', 'pause', 'advance', 'stage', 'rollback', 'promote', 'complete', 'target', 'shadow')),
            variant    TEXT,
            reason     TEXT    NOT NULL,
            metrics    TEXT    NOT NULL,
            PRIMARY KEY (experiment, seq)
        ) WITHOUT ROWID;
        INSERT INTO audit_v8 SELECT experiment, seq, ts, who, action, variant, reason, metrics FROM audit;
        DROP TABLE audit;
        ALTER TABLE audit_v8 RENAME TO audit;
        """;

    /// <summary>Every migration, oldest first.</summary>
    public static readonly ImmutableArray<string> Migrations = [V1, V2, V3, V4, V5, V6, V7, V8, V9];

    /// <summary>The newest version.</summary>
    public static int Latest => Migrations.Length;

    /// <summary>Applies the migrations <paramref name="connection"/>'s file lacks, in one write transaction (so racing processes apply each once).</summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);", transaction);
        var current = Convert.ToInt32(connection.Scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version;", transaction), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"SQLite database '{path}' has schema version {current}, newer than this Rampart's {Latest}; upgrade Rampart to open it.");
        }

        for (var version = current + 1; version <= Latest; version++)
        {
            connection.Execute(Migrations[version - 1], transaction);
            using var record = connection.Command(
                "INSERT INTO schema_version (version, applied_at) VALUES ($version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));", transaction);
            record.Parameters.AddWithValue("$version", version);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
