namespace Rampart.Core.Events;

/// <summary>Persistence of feedback waiting for its completion (see <see cref="PendingFeedback"/>).</summary>
public interface IPendingFeedbackStore
{
    /// <summary>Keeps <paramref name="feedback"/>; storing the same id again does nothing.</summary>
    Task AddAsync(PendingFeedback feedback, CancellationToken cancellationToken = default);

    /// <summary>Everything waiting, oldest first.</summary>
    Task<IReadOnlyList<PendingFeedback>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the feedback with these ids (joined, or dropped over the limits).</summary>
    Task RemoveAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the feedback with these ids because its call never came, adding the pieces still kept to the durable count
    /// of expired feedback (once each, however many servers expire them); returns how many were counted.
    /// </summary>
    Task<int> ExpireAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>How many pieces of feedback have expired unjoined since the database was created.</summary>
    Task<long> CountExpiredAsync(CancellationToken cancellationToken = default);
}
