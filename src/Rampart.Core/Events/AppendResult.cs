namespace Rampart.Core.Events;

/// <summary>How many events of a batch were stored, and how many were already there (same id).</summary>
/// <param name="Accepted">Events stored.</param>
/// <param name="Duplicates">Events whose id was already stored (or repeated in the batch), not stored again.</param>
public sealed record AppendResult(int Accepted, int Duplicates);
