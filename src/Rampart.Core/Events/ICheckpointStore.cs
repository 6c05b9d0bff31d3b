namespace Rampart.Core.Events;

/// <summary>
/// Keeps checkpoints of the results' aggregates in the event store's own database (docs/storage.md, "Checkpoints"): the
/// aggregates' state as bytes, with the feed position whose events it covers, so a server starts from the newest one
/// and reads only the events after it.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>
    /// Stores a checkpoint (its bytes in <paramref name="chunks"/>, in order) in one transaction, then deletes all but the
    /// newest <paramref name="keep"/>.
    /// </summary>
    Task SaveAsync(CheckpointInfo checkpoint, IReadOnlyList<ReadOnlyMemory<byte>> chunks, int keep, CancellationToken cancellationToken = default);

    /// <summary>The stored checkpoints, newest first (their descriptions, without their bytes).</summary>
    Task<IReadOnlyList<CheckpointInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The bytes of checkpoint <paramref name="id"/> in order, as stored; empty when it was deleted.</summary>
    Task<IReadOnlyList<byte[]>> ReadAsync(long id, CancellationToken cancellationToken = default);
}
