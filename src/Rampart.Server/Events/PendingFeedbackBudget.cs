using System.Text;
using Microsoft.Extensions.Options;
using Rampart.Core.Events;

namespace Rampart.Server.Events;

/// <summary>
/// How much feedback may wait for its completion (<c>feedback.max_pending</c> pieces, <c>feedback.max_pending_bytes</c> of
/// text), what waits now, and how much was dropped and why, for <c>/metrics</c>.
/// </summary>
internal sealed class PendingFeedbackBudget(IOptions<FeedbackOptions> settings)
{
    private readonly Lock gate = new();
    private int count;
    private long bytes;
    private long expired;
    private long overLimit;

    /// <summary>The most pieces that may wait.</summary>
    public int MaxCount => settings.Value.MaxPending;

    /// <summary>The most bytes of text that may wait.</summary>
    public long MaxBytes => settings.Value.MaxPendingBytes;

    /// <summary>How many pieces wait now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    /// <summary>Pieces dropped because they waited longer than <c>feedback.pending_ttl</c>.</summary>
    public long Expired => Interlocked.Read(ref expired);

    /// <summary>Pieces dropped at start because the kept set was over the limits (oldest first).</summary>
    public long DroppedOverLimit => Interlocked.Read(ref overLimit);

    /// <summary>Takes room for <paramref name="feedback"/>, or false (taking none) when it would go over a limit.</summary>
    public bool TryTake(PendingFeedback feedback)
    {
        var size = Size(feedback);
        lock (gate)
        {
            if (count + 1 > MaxCount || bytes + size > MaxBytes)
            {
                return false;
            }

            count++;
            bytes += size;
            return true;
        }
    }

    /// <summary>Gives back the room of feedback no longer waiting (joined, expired).</summary>
    public void Give(IEnumerable<PendingFeedback> feedback)
    {
        var (n, size) = (0, 0L);
        foreach (var each in feedback)
        {
            n++;
            size += Size(each);
        }

        lock (gate)
        {
            count -= n;
            bytes -= size;
        }
    }

    /// <summary>Counts pieces dropped for their age.</summary>
    public void CountExpired(int n) => Interlocked.Add(ref expired, n);

    /// <summary>Counts pieces dropped for the limits.</summary>
    public void CountOverLimit(int n) => Interlocked.Add(ref overLimit, n);

    /// <summary>What a piece counts against <c>feedback.max_pending_bytes</c>: the UTF-8 size of its text fields.</summary>
    public static long Size(PendingFeedback feedback) =>
        Encoding.UTF8.GetByteCount(feedback.Id) + Encoding.UTF8.GetByteCount(feedback.RequestId) + Encoding.UTF8.GetByteCount(feedback.Score)
        + (feedback.Comment is null ? 0 : Encoding.UTF8.GetByteCount(feedback.Comment));
}
