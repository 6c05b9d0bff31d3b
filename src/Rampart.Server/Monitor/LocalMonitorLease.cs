using System.Collections.Concurrent;
using Rampart.Core.Rollouts;

namespace Rampart.Server.Monitor;

/// <summary>
/// The monitor lease of a server that is alone on its store (SQLite): one check of an experiment at a time within this
/// process, granted at once when free and refused (null) while another check holds it. Several servers sharing a
/// PostgreSQL store need the advisory-lock lease instead.
/// </summary>
public sealed class LocalMonitorLease : IMonitorLease
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<IAsyncDisposable?> TryAcquireAsync(string experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var gate = locks.GetOrAdd(experiment, _ => new SemaphoreSlim(1, 1));
        return await gate.WaitAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false) ? new Held(gate) : null;
    }

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
