namespace Rampart.Core.Events;

/// <summary>A stored checkpoint's description.</summary>
/// <param name="Id">Its id in the store (0 for one not stored yet).</param>
/// <param name="Position">The feed position of the last event it covers.</param>
/// <param name="Format">The version of the format its bytes are in.</param>
/// <param name="Length">The number of its bytes.</param>
/// <param name="Hash">A hash of its bytes (hex), checked before they are used.</param>
/// <param name="CreatedAt">When it was written.</param>
public sealed record CheckpointInfo(long Id, long Position, int Format, long Length, string Hash, DateTimeOffset CreatedAt);
