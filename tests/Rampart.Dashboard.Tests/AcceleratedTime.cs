using System.Diagnostics;

namespace Rampart.Dashboard.Tests;

/// <summary>
/// A clock that runs <see cref="Factor"/> times faster than the real one from a fixed start, so a few seconds of simulated
/// traffic span an hour of event timestamps and audit entries (and the charts show a history, not one instant). Timers and
/// timestamps (<c>Task.Delay</c>, <c>GetTimestamp</c>) stay real.
/// </summary>
public sealed class AcceleratedTime : TimeProvider
{
    public const int Factor = 1800;
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly Stopwatch elapsed = Stopwatch.StartNew();

    public override DateTimeOffset GetUtcNow() => Start + (elapsed.Elapsed * Factor);
}
