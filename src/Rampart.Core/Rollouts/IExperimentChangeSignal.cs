namespace Rampart.Core.Rollouts;

/// <summary>
/// Announces that experiments changed in the store (through any server or the CLI), so a server refreshes its
/// snapshots at once instead of at its next poll (PostgreSQL: LISTEN/NOTIFY). Polling stays the fallback: a signal may
/// be lost (a dropped connection), never invented.
/// </summary>
public interface IExperimentChangeSignal
{
    /// <summary>Completes at the next announced change (or when listening had to restart and changes may have been missed).</summary>
    Task NextChangeAsync(CancellationToken cancellationToken = default);
}
