using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Rampart.Server.Events;

/// <summary>
/// The bounded queue in front of the event writer, bounded in events (not batches): a sender reserves room for its
/// events first, so a full queue is refused up front (503 with <c>Retry-After</c>) and an event once taken is never
/// dropped. The gateway reserves room for a call's two events before making the call.
/// </summary>
internal sealed class EventQueue
{
    private readonly Channel<EventBatch> channel = Channel.CreateUnbounded<EventBatch>(new UnboundedChannelOptions { SingleReader = true });
    private long reserved;
    private long crowdedAt = long.MaxValue;
    private TaskCompletionSource? crowded;
    private volatile bool closed;
    private volatile bool refusing;

    /// <summary>Creates the queue with the configured capacity.</summary>
    public EventQueue(IOptions<EventOptions> settings) => Capacity = settings.Value.QueueCapacity;

    /// <summary>The most events that may wait.</summary>
    public int Capacity { get; }

    /// <summary>Events reserved or waiting, not yet stored.</summary>
    public long Depth => Interlocked.Read(ref reserved);

    /// <summary>True once the server is stopping: no more events are taken.</summary>
    public bool IsClosed => closed;

    /// <summary>True while the store fails and the local journal is full: nothing more can be kept, so no event is taken.</summary>
    public bool IsRefusing => refusing;

    internal ChannelReader<EventBatch> Reader => channel.Reader;

    /// <summary>Reserves room for <paramref name="count"/> events; false when the queue is full or closed, or events cannot be kept.</summary>
    public bool TryReserve(int count)
    {
        if (closed || refusing)
        {
            return false;
        }

        var depth = Interlocked.Add(ref reserved, count);
        // Closed since the check above: the writer stops once the queue is closed and nothing is reserved, and may have
        // seen that before this reservation counted, so room granted now might never be written. The Add is a full fence
        // and so is the writer's read of Depth: if this read still sees the queue open, the writer's sees the room.
        if ((depth > Capacity && count > 0) || closed)
        {
            Interlocked.Add(ref reserved, -count);
            return false;
        }

        if (depth >= Volatile.Read(ref crowdedAt))
        {
            Volatile.Read(ref crowded)?.TrySetResult();
        }

        return true;
    }

    /// <summary>
    /// Completes once <paramref name="depth"/> events or more are reserved or waiting (at once if they already are), until
    /// <see cref="StopWatchingDepth"/>: the writer's linger ends there rather than let the queue fill and refuse calls.
    /// One watcher at a time (the writer).
    /// </summary>
    internal Task WhenDepthReaches(long depth)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref crowded, signal);
        Volatile.Write(ref crowdedAt, depth);
        if (Depth >= depth)
        {
            signal.TrySetResult();
        }

        return signal.Task;
    }

    /// <summary>Ends <see cref="WhenDepthReaches"/>'s watch.</summary>
    internal void StopWatchingDepth()
    {
        Volatile.Write(ref crowdedAt, long.MaxValue);
        Volatile.Write(ref crowded, null);
    }

    /// <summary>Gives back room reserved and not used.</summary>
    public void Release(int count) => Interlocked.Add(ref reserved, -count);

    /// <summary>Queues a batch whose room was reserved with <see cref="TryReserve"/>.</summary>
    public void EnqueueReserved(EventBatch batch)
    {
        if (!channel.Writer.TryWrite(batch))
        {
            // Unbounded and never completed: a write cannot fail.
            throw new InvalidOperationException("The event queue refused a reserved batch.");
        }
    }

    /// <summary>Reserves room and queues <paramref name="batch"/>; false (nothing queued) when the queue is full.</summary>
    public bool TryEnqueue(EventBatch batch)
    {
        if (!TryReserve(batch.Events.Count))
        {
            return false;
        }

        EnqueueReserved(batch);
        return true;
    }

    /// <summary>Marks <paramref name="count"/> events as stored (or given up), freeing their room.</summary>
    internal void Done(int count) => Interlocked.Add(ref reserved, -count);

    /// <summary>Refuses events until <see cref="Resume"/>: the store fails and the journal is full.</summary>
    internal void Refuse() => refusing = true;

    /// <summary>Takes events again.</summary>
    internal void Resume() => refusing = false;

    /// <summary>Stops taking events; what was taken is still written.</summary>
    internal void Close() => closed = true;
}
