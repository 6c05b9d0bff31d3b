using Npgsql;

namespace Rampart.Testing;

/// <summary>
/// A fresh schema in the test PostgreSQL server named by <c>RAMPART_TEST_POSTGRES</c> (./test starts one), dropped on
/// dispose: tests on their own schemas run in parallel on one server. Without the variable a test fails, saying so:
/// a missing database must never look like a pass.
/// </summary>
public sealed class TestPostgres : IDisposable
{
    /// <summary>The environment variable holding the test server's Npgsql connection string.</summary>
    public const string Variable = "RAMPART_TEST_POSTGRES";

    private readonly List<IDisposable> owned = [];

    /// <summary>Creates the schema.</summary>
    public TestPostgres()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests cannot run. ./test starts a private PostgreSQL 15 and sets it; " +
                $"to run them by hand, set {Variable} to an Npgsql connection string (Host=127.0.0.1;Port=…;Username=postgres).");
        }

        Schema = "t_" + Guid.NewGuid().ToString("N");
        ServerConnectionString = server;
        Execute($"CREATE SCHEMA {Schema};");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = Schema, MaxPoolSize = 20 }.ConnectionString;
    }

    /// <summary>The schema's name.</summary>
    public string Schema { get; }

    /// <summary>The server, without a schema.</summary>
    public string ServerConnectionString { get; }

    /// <summary>A connection string whose tables live in this schema.</summary>
    public string ConnectionString { get; }

    /// <summary>Disposes <paramref name="resource"/> (a database's connection pool) before the schema is dropped.</summary>
    public T Own<T>(T resource)
        where T : IDisposable
    {
        lock (owned)
        {
            owned.Add(resource);
        }

        return resource;
    }

    /// <summary>Runs <paramref name="sql"/> in the schema, returning the first column of the first row.</summary>
    public object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (owned)
        {
            foreach (var resource in owned)
            {
                resource.Dispose();
            }
        }

        Execute($"DROP SCHEMA {Schema} CASCADE;");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
