using Microsoft.Data.Sqlite;
using Rampart.Core.Events;

namespace Rampart.Storage.Sqlite;

/// <summary>The <c>events</c> table: one row per stored event, <c>seq</c> (the rowid) giving the order they were stored in.</summary>
internal static class EventRows
{
    /// <summary>The event columns, in the order <see cref="EventInsertStatement"/> binds and <see cref="Read"/> reads them.</summary>
    public static readonly string[] Columns =
    [
        "experiment", "type", "ts", "id", "variant", "unit", "stage", "request_id", "latency_ms", "ttft_ms", "prompt_tokens",
        "completion_tokens", "cost_usd", "error", "model", "input", "output", "score", "value", "comment", "extra", "source",
        "shadow", "pair_id", "attributes",
    ];

    /// <summary>
    /// <see cref="Columns"/> with the logged content (input, output, comment, extra) and the exposures' attributes selected as NULL: what a follower of
    /// the store reads, at the same ordinals, without the text it never uses.
    /// </summary>
    public static readonly string[] ColumnsWithoutContent =
        [.. Columns.Select(c => c is "input" or "output" or "comment" or "extra" or "attributes" ? "NULL" : c)];

    /// <summary>Selects one experiment's events (parameter <c>$experiment</c>) in the order they were stored.</summary>
    public static readonly string Select = $"SELECT {string.Join(", ", Columns)} FROM events WHERE experiment = $experiment ORDER BY seq;";

    /// <summary>The event in the current row of <paramref name="reader"/>, selected with <see cref="Select"/>.</summary>
    public static ExperimentEvent Read(SqliteDataReader reader) => new()
    {
        Experiment = reader.GetString(0),
        Type = StorageText.ParseEventType(reader.GetString(1)),
        Ts = StorageText.ParseTimestamp(reader.GetString(2)),
        Id = Text(reader, 3),
        Variant = reader.GetString(4),
        Unit = reader.GetString(5),
        Stage = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        RequestId = Text(reader, 7),
        LatencyMs = Real(reader, 8),
        TtftMs = Real(reader, 9),
        PromptTokens = Integer(reader, 10),
        CompletionTokens = Integer(reader, 11),
        CostUsd = Real(reader, 12),
        Error = Text(reader, 13),
        Model = Text(reader, 14),
        Input = Text(reader, 15),
        Output = Text(reader, 16),
        Score = Text(reader, 17),
        Value = Real(reader, 18),
        Comment = Text(reader, 19),
        Extra = Text(reader, 20),
        Source = Text(reader, 21),
        Shadow = !reader.IsDBNull(22) && reader.GetInt64(22) != 0,
        PairId = Text(reader, 23),
        Attributes = Text(reader, 24),
    };

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? Real(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static long? Integer(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
