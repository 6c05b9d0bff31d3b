using Microsoft.Data.Sqlite;

namespace Rampart.Storage.Sqlite;

/// <summary>Shorthands for the commands the stores run.</summary>
internal static class SqliteConnectionExtensions
{
    /// <summary>A command on <paramref name="connection"/> in <paramref name="transaction"/> (which Microsoft.Data.Sqlite requires when one is open).</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs <paramref name="sql"/>, returning the rows changed.</summary>
    public static int Execute(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.Command(sql, transaction);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="sql"/>, returning the first column of the first row.</summary>
    public static object? Scalar(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.Command(sql, transaction);
        return command.ExecuteScalar();
    }

    /// <summary>Adds a parameter, writing null as SQL NULL.</summary>
    public static void AddValue(this SqliteParameterCollection parameters, string name, object? value) =>
        parameters.AddWithValue(name, value ?? DBNull.Value);
}
