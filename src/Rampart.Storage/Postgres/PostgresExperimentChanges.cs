using Npgsql;
using Polly;
using Polly.Retry;
using Rampart.Core.Rollouts;

namespace Rampart.Storage.Postgres;

/// <summary>
/// <see cref="IExperimentChangeSignal"/> on PostgreSQL: one connection per process LISTENs on
/// <see cref="PostgresExperimentStore.ChangeChannel"/>, which every experiment write NOTIFYs at commit, and keeps the
/// announcements of its own schema. Listening starts
/// with the first wait; a lost connection is reopened (after <see cref="RetryDelay"/>) and signals once, since changes
/// may have been missed meanwhile.
/// </summary>
public sealed class PostgresExperimentChanges : IExperimentChangeSignal, IAsyncDisposable, IDisposable
{
    /// <summary>How long to wait before listening again after the connection failed.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // How often an idle listening connection is checked (a silent network failure would otherwise never be noticed).
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(15);

    private readonly PostgresDatabase database;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private TaskCompletionSource next = NewSignal();
    private Task? listening;

    /// <summary>Changes announced in <paramref name="database"/>.</summary>
    public PostgresExperimentChanges(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>True while the listening connection is open.</summary>
    public bool IsListening { get; private set; }

    /// <inheritdoc />
    public Task NextChangeAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
            listening ??= Task.Run(ListenAsync, CancellationToken.None);
            return next.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task? running;
        lock (gate)
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            stopping.Cancel();
            running = listening;
        }

        if (running is not null)
        {
            await running.ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task ListenAsync()
    {
        try
        {
            await Reconnecting().ExecuteAsync(ListenOnceAsync, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    // Any failure (the database restarting, the network) ends in a new connection after RetryDelay, for as long as the
    // listener runs; polling covers the gap, and the signal tells waiters to look now.
    private ResiliencePipeline Reconnecting() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException || !stopping.IsCancellationRequested),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            Delay = RetryDelay,
            UseJitter = false,
            OnRetry = _ =>
            {
                IsListening = false;
                Signal();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private async ValueTask ListenOnceAsync(CancellationToken token)
    {
        await using var connection = await database.OpenAsync(token).ConfigureAwait(false);
        var prefix = await connection.ScalarAsync("SELECT current_schema();", null, token).ConfigureAwait(false) + "/";
        connection.Notification += (_, e) =>
        {
            if (e.Payload.StartsWith(prefix, StringComparison.Ordinal))
            {
                Signal();
            }
        };
        await connection.ExecuteAsync($"LISTEN {PostgresExperimentStore.ChangeChannel};", null, token).ConfigureAwait(false);
        IsListening = true;
        Signal();
        while (true)
        {
            if (!await connection.WaitAsync(Probe, token).ConfigureAwait(false))
            {
                await connection.ExecuteAsync("SELECT 1;", null, token).ConfigureAwait(false);
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource fired;
        lock (gate)
        {
            fired = next;
            next = NewSignal();
        }

        fired.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
