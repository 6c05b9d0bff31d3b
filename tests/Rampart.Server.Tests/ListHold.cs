namespace Rampart.Server.Tests;

/// <summary>
/// Holds a test store's next list: once asked for, it is read, then waits for <see cref="Release"/> before it returns,
/// so a test can change things between a reload's read and its use.
/// </summary>
internal sealed class ListHold
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? reading;

    /// <summary>Holds the next list; the task completes once it has been read.</summary>
    public Task HoldNext()
    {
        reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return reading.Task;
    }

    /// <summary>Lets the held list return.</summary>
    public void Release() => released.TrySetResult();

    /// <summary>Reads with <paramref name="list"/>, then waits for <see cref="Release"/> if this list is the held one.</summary>
    public async Task<T> ListAsync<T>(Func<Task<T>> list, CancellationToken cancellationToken)
    {
        var listed = await list();
        if (Interlocked.Exchange(ref reading, null) is { } held)
        {
            held.TrySetResult();
            await released.Task.WaitAsync(cancellationToken);
        }

        return listed;
    }
}
