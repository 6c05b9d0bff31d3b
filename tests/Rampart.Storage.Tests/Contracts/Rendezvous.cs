namespace Rampart.Storage.Tests.Contracts;

/// <summary>Holds the first <c>parties</c> arrivals until all of them have arrived; later arrivals pass straight through.</summary>
public sealed class Rendezvous(int parties)
{
    private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int arrived;

    public Task ArriveAsync()
    {
        if (Interlocked.Increment(ref arrived) == parties)
        {
            open.SetResult();
        }

        return open.Task;
    }
}
