namespace Rampart.Storage;

/// <summary>
/// Where Rampart's stores live (docs/configuration.md, section <c>storage</c>): a SQLite file for one server, or a
/// PostgreSQL database several servers share.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The SQLite database file (<c>storage.sqlite</c>, or <c>--db</c>).</summary>
    /// <value>Default: rampart.db.</value>
    public string SqlitePath { get; set; } = "rampart.db";

    /// <summary>
    /// The PostgreSQL database shared by several servers (<c>storage.postgres</c>, or <c>--postgres</c>), an Npgsql
    /// connection string; null to use the SQLite file.
    /// </summary>
    /// <value>Default: null.</value>
    public string? PostgresConnectionString { get; set; }

    /// <summary>True when the stores are on PostgreSQL rather than the SQLite file.</summary>
    public bool UsesPostgres => PostgresConnectionString is not null;
}
