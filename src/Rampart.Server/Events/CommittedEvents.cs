using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>
/// The events this server's writer has just committed, with their positions (when the store reports them: SQLite and
/// PostgreSQL), handed to the results follower so that it need not read them back from the store. The follower takes
/// them only while their positions continue its own one by one, which proves that no other writer's event lies between;
/// otherwise it reads the store, as it always may. Past <see cref="Capacity"/> waiting events the oldest are dropped, to be read from
/// the store instead.
/// </summary>
internal sealed class CommittedEvents
{
    /// <summary>
    /// The most events kept waiting for the follower (it takes each commit as soon as it is signalled; this bounds the
    /// memory held while it cannot, e.g. during its first read after a start). The newest commit is always kept.
    /// </summary>
    public const int Capacity = 20_000;

    private readonly LinkedList<Chunk> chunks = new();
    private readonly Lock gate = new();
    private int waiting;

    /// <summary>How many events wait.</summary>
    public int Waiting
    {
        get
        {
            lock (gate)
            {
                return waiting;
            }
        }
    }

    /// <summary>
    /// Adds the events of one committed transaction, in position order. Transactions the writer keeps open side by side
    /// may be added out of their commit order: each is put in its place among those waiting.
    /// </summary>
    public void Add(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            var chunk = new Chunk(events);
            var after = chunks.Last;
            while (after is not null && after.Value.First > chunk.First)
            {
                after = after.Previous;
            }

            if (after is null)
            {
                chunks.AddFirst(chunk);
            }
            else
            {
                chunks.AddAfter(after, chunk);
            }

            waiting += events.Count;
            while (waiting > Capacity && chunks.Count > 1)
            {
                waiting -= chunks.First!.Value.Left;
                chunks.RemoveFirst();
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> waiting events at positions <paramref name="position"/> + 1, + 2, … without a gap; none
    /// when the next waiting event is further on (another writer's events come first: read them from the store). Events
    /// at or below <paramref name="position"/>, already read from the store, are dropped.
    /// </summary>
    public List<StoredEvent> TakeAfter(long position, int max)
    {
        var taken = new List<StoredEvent>();
        var next = position + 1;
        lock (gate)
        {
            while (chunks.First?.Value is { } chunk && taken.Count < max)
            {
                while (chunk.Left > 0 && taken.Count < max)
                {
                    var e = chunk.Events[chunk.Next];
                    if (e.Position > next)
                    {
                        return taken;
                    }

                    chunk.Next++;
                    waiting--;
                    if (e.Position == next)
                    {
                        taken.Add(e);
                        next++;
                    }
                }

                if (chunk.Left == 0)
                {
                    chunks.RemoveFirst();
                }
            }
        }

        return taken;
    }

    /// <summary>
    /// The position of the first waiting event after <paramref name="position"/>, or null when none waits; events at or
    /// below it are dropped. The store need be read only up to the one before: this server's own events follow.
    /// </summary>
    public long? NextAfter(long position)
    {
        lock (gate)
        {
            while (chunks.First?.Value is { } chunk)
            {
                while (chunk.Left > 0)
                {
                    var next = chunk.Events[chunk.Next].Position;
                    if (next > position)
                    {
                        return next;
                    }

                    chunk.Next++;
                    waiting--;
                }

                chunks.RemoveFirst();
            }
        }

        return null;
    }

    private sealed class Chunk(IReadOnlyList<StoredEvent> events)
    {
        public IReadOnlyList<StoredEvent> Events { get; } = events;

        public int Next { get; set; }

        public int Left => Events.Count - Next;

        public long First => Events[0].Position;
    }
}
