namespace Rampart.Core.Rollouts;

/// <summary>
/// Makes the monitor act once per experiment across every server sharing a store: a server evaluates and acts on an
/// experiment only while it holds that experiment's lease (one process: always granted; PostgreSQL: an advisory lock).
/// </summary>
public interface IMonitorLease
{
    /// <summary>The lease on <paramref name="experiment"/>, to dispose when the check is done, or null when another server holds it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string experiment, CancellationToken cancellationToken = default);
}
