namespace Rampart.Core.Allocation;

/// <summary>A half-open range of buckets [<see cref="Start"/>, <see cref="End"/>) owned by one variant.</summary>
/// <param name="Variant">The variant that owns the range.</param>
/// <param name="Start">The first bucket.</param>
/// <param name="End">One past the last bucket.</param>
/// <param name="RolledBack">True when the control holds these buckets because their variant was rolled back.</param>
public sealed record BucketRange(string Variant, int Start, int End, bool RolledBack = false)
{
    /// <summary>The number of buckets in the range.</summary>
    public int Length => End - Start;
}
