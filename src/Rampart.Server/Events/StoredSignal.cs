using System.Threading.Channels;

namespace Rampart.Server.Events;

/// <summary>Tells the readers that follow the store (results, feedback joins) that the writer has just committed something.</summary>
internal sealed class StoredSignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Signals a commit.</summary>
    public void Notify() => channel.Writer.TryWrite(true);

    /// <summary>Waits for a commit, or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waiting.CancelAfter(timeout);
        try
        {
            await channel.Reader.ReadAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: look anyway (another process may have written).
        }
    }
}
