using Npgsql;
using NpgsqlTypes;
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

    /// <summary>The event columns, in the order <see cref="WriteAsync"/> writes and <see cref="Read"/> reads them.</summary>
    public static readonly string Columns = string.Join(", ", EventRows.Columns);

    /// <summary>How many event columns there are (a query may select more after them).</summary>
    public static readonly int ColumnCount = EventRows.Columns.Length;

    /// <summary>Binary COPY of the event columns followed by <c>batch</c> and <c>ord</c>.</summary>
    public static readonly string Copy = $"COPY events ({Columns}, batch, ord) FROM STDIN (FORMAT BINARY);";

    /// <summary>Writes <paramref name="e"/> as one row of <see cref="Copy"/>, at <paramref name="ord"/> in <paramref name="batch"/>.</summary>
    public static async Task WriteAsync(NpgsqlBinaryImporter importer, ExperimentEvent e, long batch, int ord, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Experiment, cancellationToken).ConfigureAwait(false);
        await Text(importer, StorageText.Name(e.Type), cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Ts.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Id, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Variant, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Unit, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.Stage, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.RequestId, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.LatencyMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.TtftMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.PromptTokens, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.CompletionTokens, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.CostUsd, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Error, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Model, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Input, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Output, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Score, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Comment, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Extra, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Source, cancellationToken).ConfigureAwait(false);
        await Value(importer, e.Shadow ? true : (bool?)null, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.PairId, cancellationToken).ConfigureAwait(false);
        await Text(importer, e.Attributes, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(batch, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(ord, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
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

    private static Task Text(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(NpgsqlConnectionExtensions.Storable(value), NpgsqlDbType.Text, cancellationToken);

    private static Task Value<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
