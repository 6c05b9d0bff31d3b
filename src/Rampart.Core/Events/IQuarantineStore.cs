namespace Rampart.Core.Events;

/// <summary>Persistence of the events the results follower set aside (<see cref="QuarantinedEvent"/>).</summary>
public interface IQuarantineStore
{
    /// <summary>Keeps <paramref name="quarantined"/>; an event already kept (the same position, met again after a restart) is left as it is.</summary>
    Task AddAsync(QuarantinedEvent quarantined, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> quarantined events after position <paramref name="after"/> (0: from the first), in store order.</summary>
    Task<IReadOnlyList<QuarantinedEvent>> ListAsync(long after, int limit, CancellationToken cancellationToken = default);
}
