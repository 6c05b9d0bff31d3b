namespace Rampart.Storage.Postgres;

/// <summary>
/// The advisory locks Rampart takes, in PostgreSQL's two-key form: the first key names the purpose, the second is a
/// hash of the current schema (and, for the monitor, of the experiment), so installations in different schemas of one
/// database never wait for each other.
/// </summary>
internal static class PostgresLocks
{
    // 0x52414D.. spells "RAM": numbers no other application is likely to pick for its own advisory locks.
    private const int Migrations = 0x52414D01;
    private const int Events = 0x52414D02;
    private const int FirstKey = 0x52414D03;
    private const int Monitor = 0x52414D04;

    /// <summary>Held while migrations run: servers starting together apply each one once.</summary>
    public static readonly string LockMigrations = Xact(Migrations);

    /// <summary>
    /// Held from recording an event batch in <c>event_batches</c> to its commit, so positions are taken in commit order (and,
    /// for a batch retried after a concurrent duplicate, from its id check on, so its counts are exact).
    /// </summary>
    public static readonly string LockEvents = Xact(Events);

    /// <summary>Held while the first admin key is created: servers starting together create one.</summary>
    public static readonly string LockFirstKey = Xact(FirstKey);

    /// <summary>Tries the monitor's lock on the experiment <c>$1</c>, for the rest of the transaction; returns a boolean.</summary>
    public static readonly string TryLockMonitor =
        $"SELECT pg_try_advisory_xact_lock({Monitor}, hashtext(current_schema() || '/' || $1));";

    private static string Xact(int purpose) => $"SELECT pg_advisory_xact_lock({purpose}, hashtext(current_schema()));";
}
