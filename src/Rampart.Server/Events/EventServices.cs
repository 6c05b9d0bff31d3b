using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Server.Configuration;
using Rampart.Storage;

namespace Rampart.Server.Events;

/// <summary>
/// Events and feedback: the bounded queue, the local journal the writer keeps events in while the store fails, and the
/// joiner that pairs feedback with its completion.
/// </summary>
internal static class EventServices
{
    /// <summary>Adds <see cref="EventOptions"/>, <see cref="FeedbackOptions"/> and the event services (each a <c>TryAdd</c>).</summary>
    /// <remarks><see cref="EventWriter"/> is hosted with the server's other background services, in their order.</remarks>
    public static IServiceCollection AddRampartEvents(this IServiceCollection services)
    {
        services.AddSettings<EventOptions, EventOptionsSetup>();
        services.AddSettings<FeedbackOptions, FeedbackOptionsSetup>();
        services.TryAddSingleton<EventQueue>();
        services.TryAddSingleton(sp =>
        {
            var events = sp.GetRequiredService<IOptions<EventOptions>>().Value;
            return new EventJournal(events.JournalFile(sp.GetRequiredService<IOptions<StorageOptions>>().Value), events.JournalMaxBytes,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventJournal>>(), takeFreeSlot: events.JournalPath is null);
        });
        services.TryAddSingleton<StoredSignal>();
        services.TryAddSingleton<CommittedEvents>();
        services.TryAddSingleton<IEventSink, QueuedEventSink>();
        services.TryAddSingleton<PendingFeedbackBudget>();
        services.TryAddSingleton<FeedbackJoiner>();
        return services;
    }
}
