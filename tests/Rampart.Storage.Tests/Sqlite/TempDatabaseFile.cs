using Microsoft.Data.Sqlite;

namespace Rampart.Storage.Tests.Sqlite;

/// <summary>A database file path in a fresh temporary folder, deleted (with the WAL files) on dispose.</summary>
public sealed class TempDatabaseFile : IDisposable
{
    private readonly string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rampart-storage-tests", Guid.NewGuid().ToString("N"));

    public TempDatabaseFile()
    {
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, "rampart.db");
    }

    public string Path { get; }

    /// <summary>A plain connection to the file, without the stores' settings, for looking underneath them.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; closing the idle ones lets the folder go.
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
