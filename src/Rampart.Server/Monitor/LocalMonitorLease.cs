using Rampart.Core.Rollouts;

namespace Rampart.Server.Monitor;

/// <summary>
/// The monitor lease of a server that is alone on its store (SQLite): always granted, since no other server can check its
/// experiments, and the monitor itself lets one check of an experiment run at a time within the server. Several servers
/// sharing a PostgreSQL store need the advisory-lock lease instead.
/// </summary>
public sealed class LocalMonitorLease : IMonitorLease
{
    private static readonly Task<IAsyncDisposable?> Granted = Task.FromResult<IAsyncDisposable?>(new Held());

    /// <inheritdoc />
    public Task<IAsyncDisposable?> TryAcquireAsync(string experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Granted;
    }

    private sealed class Held : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
