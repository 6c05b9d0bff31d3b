using Npgsql;

namespace Rampart.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by several Rampart servers (docs/storage.md). Opens pooled connections and, on first use,
/// brings the schema up to date (race-free when servers start together). Rampart's tables live in the connection's
/// current schema (the first of its <c>Search Path</c>, <c>public</c> by default). Share one instance between the
/// stores of a process, and dispose it at the end.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim initializing = new(1, 1);
    private volatile bool ready;

    /// <summary>A database reached with the Npgsql <paramref name="connectionString"/> (<c>Host=…;Database=…;Username=…</c>).</summary>
    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The PostgreSQL connection string is invalid: {e.Message}", nameof(connectionString), e);
        }

        Description = $"{parsed.Host}:{parsed.Port}/{parsed.Database ?? parsed.Username}";
        DataSource = NpgsqlDataSource.Create(parsed);
    }

    /// <summary>Host, port and database name, for messages (never the password).</summary>
    public string Description { get; }

    /// <summary>The schema version this build writes; opening a database with a newer one fails.</summary>
    public static int SchemaVersion => PostgresSchema.Latest;

    internal NpgsqlDataSource DataSource { get; }

    /// <summary>Applies pending migrations (once per process; concurrent processes wait for each other).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (ready)
        {
            return;
        }

        await initializing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ready)
            {
                await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await PostgresSchema.MigrateAsync(connection, Description, cancellationToken).ConfigureAwait(false);
                ready = true;
            }
        }
        finally
        {
            initializing.Release();
        }
    }

    /// <summary>An open connection on an up-to-date schema; the caller disposes it (which returns it to the pool).</summary>
    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        initializing.Dispose();
        return DataSource.DisposeAsync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        initializing.Dispose();
        DataSource.Dispose();
    }
}
