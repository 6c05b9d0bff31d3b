namespace Rampart.Core.Events;

/// <summary>Persistence of feedback waiting for its completion (see <see cref="PendingFeedback"/>).</summary>
public interface IPendingFeedbackStore
{
    /// <summary>Keeps <paramref name="feedback"/>; storing the same id again does nothing.</summary>
    Task AddAsync(PendingFeedback feedback, CancellationToken cancellationToken = default);

    /// <summary>Everything waiting, oldest first.</summary>
    Task<IReadOnlyList<PendingFeedback>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the feedback with these ids (joined, or expired).</summary>
    Task RemoveAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);
}
