namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// Samples this process's managed heap and working set every few milliseconds from a baseline taken after a full
/// collection, keeping the peak growth of each: the server, its fake upstream and the client all run in this process.
/// </summary>
public sealed class MemoryPeak : IAsyncDisposable
{
    private readonly long managedBaseline;
    private readonly long workingSetBaseline;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long managedPeak;
    private long workingSetPeak;

    public MemoryPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        managedBaseline = managedPeak = GC.GetTotalMemory(false);
        workingSetBaseline = workingSetPeak = Environment.WorkingSet;
        sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(2, CancellationToken.None);
            }
        });
    }

    /// <summary>The peak growth of the managed heap so far, in MiB.</summary>
    public double ManagedGrowthMiB => (Interlocked.Read(ref managedPeak) - managedBaseline) / 1048576.0;

    /// <summary>The peak growth of the working set (RSS) so far, in MiB.</summary>
    public double WorkingSetGrowthMiB => (Interlocked.Read(ref workingSetPeak) - workingSetBaseline) / 1048576.0;

    public override string ToString() => $"peak growth: managed heap {ManagedGrowthMiB:F1} MiB, working set {WorkingSetGrowthMiB:F1} MiB";

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        Sample();
        stop.Dispose();
    }

    private void Sample()
    {
        var managed = GC.GetTotalMemory(false);
        if (managed > Interlocked.Read(ref managedPeak))
        {
            Interlocked.Exchange(ref managedPeak, managed);
        }

        var workingSet = Environment.WorkingSet;
        if (workingSet > Interlocked.Read(ref workingSetPeak))
        {
            Interlocked.Exchange(ref workingSetPeak, workingSet);
        }
    }
}
