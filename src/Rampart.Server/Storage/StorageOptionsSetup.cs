using Rampart.Server.Configuration;
using Rampart.Storage;

namespace Rampart.Server.Storage;

/// <summary>Reads <see cref="StorageOptions"/> from the <c>storage</c> section (<c>--db</c> and <c>--postgres</c> set it too).</summary>
internal sealed class StorageOptionsSetup(IConfiguration configuration) : SettingsSetup<StorageOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(StorageOptions options, SettingReader reader)
    {
        reader.CheckKeys("storage", "sqlite", "postgres");
        var sqlite = reader["storage:sqlite"];
        if (sqlite is not null)
        {
            if (string.IsNullOrWhiteSpace(sqlite))
            {
                reader.Problems.Add("storage.sqlite must name a database file (or give --db PATH).");
            }
            else
            {
                options.SqlitePath = sqlite;
            }
        }

        var postgres = reader["storage:postgres"];
        if (postgres is null)
        {
            return;
        }

        if (sqlite is not null)
        {
            reader.Problems.Add("storage.sqlite (--db) and storage.postgres (--postgres) are both set; give one: SQLite for one server, PostgreSQL for several.");
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            if (string.IsNullOrWhiteSpace(postgres))
            {
                reader.Problems.Add("storage.postgres must be an Npgsql connection string such as 'Host=db;Database=rampart;Username=rampart' (or give --postgres).");
            }
            else
            {
                options.PostgresConnectionString = postgres;
            }
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never the password.
            reader.Problems.Add($"storage.postgres is not a valid Npgsql connection string: {e.Message}");
        }
    }
}
