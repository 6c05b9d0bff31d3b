namespace Rampart.Cli.Demo;

/// <summary>The demo's simulated wall clock: days pass in seconds, and the audit trail shows simulated times.</summary>
internal sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>Simulated time now; the story moves it forward.</summary>
    public DateTimeOffset Now { get; set; } = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;
}
