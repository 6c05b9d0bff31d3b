namespace Rampart.Server.Results;

/// <summary>When the server writes checkpoints of the results' aggregates (the <c>checkpoints</c> section; docs/configuration.md).</summary>
public sealed class CheckpointOptions
{
    /// <summary>Write a checkpoint once this many events were read since the last one; 0 writes none.</summary>
    /// <value>1,000,000.</value>
    public long EveryEvents { get; set; } = 1_000_000;

    /// <summary>The least time between two checkpoints.</summary>
    /// <value>1 minute.</value>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many checkpoints are kept (the newest); an older one is tried when a newer one cannot be read.</summary>
    /// <value>2.</value>
    public int Keep { get; set; } = 2;
}
