using Npgsql;

namespace Rampart.Storage.Postgres;

/// <summary>Shorthands for the commands the stores run (positional parameters: <c>$1</c>, <c>$2</c>, …).</summary>
internal static class NpgsqlConnectionExtensions
{
    /// <summary>A command on <paramref name="connection"/>, in <paramref name="transaction"/> when one is given.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);

    /// <summary>Runs <paramref name="sql"/>, returning the rows changed.</summary>
    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="sql"/>, returning the first column of the first row.</summary>
    public static async Task<object?> ScalarAsync(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql, transaction);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a positional parameter, writing null as SQL NULL and text as <see cref="Storable"/> makes it.</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = (value is string text ? Storable(text) : value) ?? DBNull.Value });
        return command;
    }

    /// <summary>
    /// <paramref name="text"/> with each NUL character and each lone UTF-16 surrogate replaced by U+FFFD: PostgreSQL's
    /// <c>text</c> cannot hold NUL, UTF-8 cannot encode a lone surrogate, and one such character (in a model's output,
    /// say) must not make a whole batch of events fail. The COPY rows, the look-ups by id and every parameter get the same
    /// text, as SQLite stores it.
    /// </summary>
    public static string Storable(string text)
    {
        var span = text.AsSpan();
        if (!span.Contains('\0') && !span.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        return string.Create(text.Length, text, static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    chars[i] = c;
                    chars[i + 1] = source[i + 1];
                    i++;
                }
                else
                {
                    chars[i] = c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c;
                }
            }
        });
    }

    /// <summary>Adds a positional timestamp parameter, in UTC (as <c>timestamptz</c> needs).</summary>
    public static NpgsqlCommand WithTime(this NpgsqlCommand command, DateTimeOffset? value) =>
        value is { } instant ? command.With(instant.UtcDateTime) : command.With(null);

    /// <summary>The <c>timestamptz</c> in column <paramref name="ordinal"/>, with a zero offset.</summary>
    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    /// <summary>The text in column <paramref name="ordinal"/>, or null.</summary>
    public static string? GetText(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
