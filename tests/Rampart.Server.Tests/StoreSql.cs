using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Rampart.Testing;

namespace Rampart.Server.Tests;

/// <summary>A test server's store underneath the server: its settings, and SQL run on it by hand (to damage a row).</summary>
internal static class StoreSql
{
    /// <summary>The settings that put a <see cref="TestHost"/> on <paramref name="postgres"/>, or on its SQLite file when null.</summary>
    public static Dictionary<string, string?>? Settings(TestPostgres? postgres) =>
        postgres is null ? null : new() { ["storage:sqlite"] = null, ["storage:postgres"] = postgres.ConnectionString };

    /// <summary>Runs <paramref name="sql"/> on <paramref name="postgres"/>'s schema, or else on the SQLite file <paramref name="sqlite"/>; returns the rows changed.</summary>
    public static int Execute(TestPostgres? postgres, string sqlite, string sql) => Run(postgres, sqlite, sql, c => c.ExecuteNonQuery());

    /// <summary>The first column of the first row <paramref name="sql"/> returns (on the store as for <see cref="Execute"/>).</summary>
    public static object? Scalar(TestPostgres? postgres, string sqlite, string sql) => Run(postgres, sqlite, sql, c => c.ExecuteScalar());

    private static T Run<T>(TestPostgres? postgres, string sqlite, string sql, Func<DbCommand, T> run)
    {
        using DbConnection connection = postgres is null
            ? new SqliteConnection($"Data Source={sqlite};Pooling=False")
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return run(command);
    }
}
