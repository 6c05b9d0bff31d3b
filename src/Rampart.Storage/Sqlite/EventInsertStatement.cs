using System.Text;
using Microsoft.Data.Sqlite;
using Rampart.Core.Events;
using SQLitePCL;

namespace Rampart.Storage.Sqlite;

/// <summary>
/// One prepared <c>INSERT … ON CONFLICT (id) DO NOTHING</c>, reused for every event of a batch. It binds through
/// SQLite's own API on the connection's handle (inside the connection's transaction): Microsoft.Data.Sqlite's
/// per-execution bookkeeping costs more than the insert itself, and appends are the write hot path. Each row starts from
/// all parameters NULL (<c>sqlite3_clear_bindings</c>, one call) and binds only the values the event has: an exposure
/// sets about 9 of the 25 columns, a completion about 14, and every bind is a native call that takes the connection's
/// mutex.
/// </summary>
internal sealed class EventInsertStatement : IDisposable
{
    private static readonly string Sql =
        $"INSERT INTO events ({string.Join(", ", EventRows.Columns)}) VALUES ({string.Join(", ", EventRows.Columns.Select(_ => "?"))}) ON CONFLICT (id) DO NOTHING;";

    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    // Text is bound as UTF-8 encoded here, into one reused buffer (SQLite copies what is bound): cheaper than binding
    // UTF-16 and having SQLite convert it.
    private byte[] utf8 = new byte[4096];

    public EventInsertStatement(SqliteConnection connection)
    {
        database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v3(database, Sql, raw.SQLITE_PREPARE_PERSISTENT, out statement), database);
    }

    /// <summary>Inserts <paramref name="e"/>; returns false when an event with its id is already stored.</summary>
    public bool Execute(ExperimentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Span<byte> ts = stackalloc byte[StorageText.TimestampLength];
        Check(raw.sqlite3_clear_bindings(statement));
        Text(1, e.Experiment);
        Text(2, StorageText.Name(e.Type));
        Text(3, StorageText.Timestamp(e.Ts, ts));
        Text(4, e.Id);
        Text(5, e.Variant);
        Text(6, e.Unit);
        Integer(7, e.Stage);
        Text(8, e.RequestId);
        Real(9, e.LatencyMs);
        Real(10, e.TtftMs);
        Integer(11, e.PromptTokens);
        Integer(12, e.CompletionTokens);
        Real(13, e.CostUsd);
        Text(14, e.Error);
        Text(15, e.Model);
        Text(16, e.Input);
        Text(17, e.Output);
        Text(18, e.Score);
        Real(19, e.Value);
        Text(20, e.Comment);
        Text(21, e.Extra);
        Text(22, e.Source);
        Integer(23, e.Shadow ? 1 : null);
        Text(24, e.PairId);
        Text(25, e.Attributes);
        var rc = raw.sqlite3_step(statement);
        try
        {
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, database);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }

        return raw.sqlite3_changes(database) == 1;
    }

    /// <summary>The position (<c>seq</c>) of the event the last successful <see cref="Execute"/> stored.</summary>
    public long LastPosition => raw.sqlite3_last_insert_rowid(database);

    public void Dispose() => statement.Dispose();

    // A null value is left unbound: the row's bindings were cleared to NULL first.
    private void Text(int index, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 0)
        {
            // An empty span pins to a null pointer, which SQLite would bind as NULL.
            Check(raw.sqlite3_bind_text(statement, index, ""));
        }
        else
        {
            var most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (utf8.Length < most)
            {
                utf8 = new byte[Math.Max(most, utf8.Length * 2)];
            }

            Check(raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, Encoding.UTF8.GetBytes(value, utf8))));
        }
    }

    private void Text(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_text(statement, index, value));

    private void Integer(int index, long? value)
    {
        if (value is { } number)
        {
            Check(raw.sqlite3_bind_int64(statement, index, number));
        }
    }

    private void Real(int index, double? value)
    {
        if (value is { } number)
        {
            Check(raw.sqlite3_bind_double(statement, index, number));
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
    }
}
