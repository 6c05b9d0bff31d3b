using Npgsql;
using Rampart.Core.Events;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Postgres;

/// <summary>
/// The <c>events</c> table: one row per stored event, at offset <c>ord</c> in its <c>batch</c>. A committed batch's
/// <c>event_batches</c> row holds its positions, <c>first</c>…<c>last</c>, taken in commit order: store order is
/// (<c>last</c>, <c>ord</c>) and an event's feed position is <c>first + ord</c>.
/// </summary>
internal static class PostgresEventRows
{
    /// <summary>The events of the committed batches joined with those batches (<c>e</c> and <c>b</c>), for <c>FROM</c>.</summary>
    public const string Committed = "events e JOIN event_batches b ON b.batch = e.batch";

    /// <summary>The feed position of the row in <see cref="Committed"/>, as SQL.</summary>
    public const string PositionSql = "b.first + e.ord";

    /// <summary>Store order (commit order of batches, then offset in the batch), as SQL for <c>ORDER BY</c>.</summary>
    public const string StoreOrder = "b.last, e.ord";

    /// <summary>The event columns of <see cref="Committed"/>, qualified with <c>e.</c>.</summary>
    public static readonly string QualifiedColumns = string.Join(", ", EventRows.Columns.Select(c => "e." + c));

    /// <summary>The event columns, in the order <see cref="Write"/> writes and <see cref="Read"/> reads them.</summary>
    public static readonly string Columns = string.Join(", ", EventRows.Columns);

    /// <summary>How many event columns there are (a query may select more after them).</summary>
    public static readonly int ColumnCount = EventRows.Columns.Length;

    /// <summary>Binary COPY of the event columns followed by <c>batch</c> and <c>ord</c>.</summary>
    public static readonly string Copy = $"COPY events ({Columns}, batch, ord) FROM STDIN (FORMAT BINARY);";

    /// <summary>How many fields a row of <see cref="Copy"/> has.</summary>
    private static readonly short CopyFields = checked((short)(ColumnCount + 2));

    /// <summary>Encodes <paramref name="e"/> as one row of <see cref="Copy"/>, at <paramref name="ord"/> in <paramref name="batch"/>.</summary>
    public static void Write(PostgresCopyEncoder row, ExperimentEvent e, long batch, int ord)
    {
        row.StartRow(CopyFields);
        row.Text(e.Experiment);
        row.Text(StorageText.Name(e.Type));
        row.TimestampTz(e.Ts);
        row.Text(e.Id);
        row.Text(e.Variant);
        row.Text(e.Unit);
        row.Int32(e.Stage);
        row.Text(e.RequestId);
        row.Float8(e.LatencyMs);
        row.Float8(e.TtftMs);
        row.Int64(e.PromptTokens);
        row.Int64(e.CompletionTokens);
        row.Float8(e.CostUsd);
        row.Text(e.Error);
        row.Text(e.Model);
        row.Text(e.Input);
        row.Text(e.Output);
        row.Text(e.Score);
        row.Float8(e.Value);
        row.Text(e.Comment);
        row.Text(e.Extra);
        row.Text(e.Source);
        row.Boolean(e.Shadow ? true : null);
        row.Text(e.PairId);
        row.Text(e.Attributes);
        row.Int64(batch);
        row.Int32(ord);
    }

    /// <summary>The event in the current row of <paramref name="reader"/>, whose first columns are <see cref="Columns"/>.</summary>
    public static ExperimentEvent Read(NpgsqlDataReader reader) => new()
    {
        Experiment = reader.GetString(0),
        Type = StorageText.ParseEventType(reader.GetString(1)),
        Ts = reader.GetTime(2),
        Id = reader.GetText(3),
        Variant = reader.GetString(4),
        Unit = reader.GetString(5),
        Stage = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        RequestId = reader.GetText(7),
        LatencyMs = Real(reader, 8),
        TtftMs = Real(reader, 9),
        PromptTokens = reader.IsDBNull(10) ? null : reader.GetInt64(10),
        CompletionTokens = reader.IsDBNull(11) ? null : reader.GetInt64(11),
        CostUsd = Real(reader, 12),
        Error = reader.GetText(13),
        Model = reader.GetText(14),
        Input = reader.GetText(15),
        Output = reader.GetText(16),
        Score = reader.GetText(17),
        Value = Real(reader, 18),
        Comment = reader.GetText(19),
        Extra = reader.GetText(20),
        Source = reader.GetText(21),
        Shadow = !reader.IsDBNull(22) && reader.GetBoolean(22),
        PairId = reader.GetText(23),
        Attributes = reader.GetText(24),
    };

    private static double? Real(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
