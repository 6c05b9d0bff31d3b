using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Rampart.Llm.Backlogs;

/// <summary>
/// A queue bounded both by count and by the bytes its items hold (each item's size given by the caller), whose write never
/// waits: an item that does not fit by either measure is dropped and handed to the <c>dropped</c> callback (which counts
/// it). What the judges' and the shadow calls' backlogs share. Thread-safe; any number of writers and readers.
/// </summary>
/// <typeparam name="T">The items.</typeparam>
public sealed class ByteBoundedBacklog<T>
    where T : class
{
    private readonly Channel<T> channel;
    private readonly Func<T, long> sizeOf;
    private readonly Action<T> dropped;
    private readonly long maxBytes;
    private long bytes;

    /// <summary>A queue of at most <paramref name="capacity"/> items and <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="capacity">The most items waiting.</param>
    /// <param name="maxBytes">The most bytes the waiting items may hold.</param>
    /// <param name="sizeOf">An item's bytes.</param>
    /// <param name="dropped">Told of each item dropped for want of room.</param>
    public ByteBoundedBacklog(int capacity, long maxBytes, Func<T, long> sizeOf, Action<T> dropped)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(sizeOf);
        ArgumentNullException.ThrowIfNull(dropped);
        channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        (this.maxBytes, this.sizeOf, this.dropped) = (maxBytes, sizeOf, dropped);
    }

    /// <summary>The bytes the waiting items hold now.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>The waiting items, each item's bytes given back as it is taken.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Add(ref bytes, -sizeOf(item));
            yield return item;
        }
    }

    /// <summary>Takes <paramref name="item"/> if there is room; false (and <c>dropped</c> told) when it was dropped. Never waits.</summary>
    public bool TryEnqueue(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var size = sizeOf(item);
        if (Interlocked.Add(ref bytes, size) <= maxBytes && channel.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Add(ref bytes, -size);
        dropped(item);
        return false;
    }

    /// <summary>Takes no more items; what is queued is still given to the readers.</summary>
    public void Complete() => channel.Writer.TryComplete();
}
