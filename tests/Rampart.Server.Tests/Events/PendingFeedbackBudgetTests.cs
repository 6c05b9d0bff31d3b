using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Server.Events;

namespace Rampart.Server.Tests.Events;

public sealed class PendingFeedbackBudgetTests
{
    private static readonly DateTimeOffset Ts = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryTake_AtMaxPending_RefusesUntilRoomIsGivenBack()
    {
        var sut = Budget(maxCount: 2, maxBytes: 1 << 20);
        var first = Feedback("a");

        Assert.True(sut.TryTake(first));
        Assert.True(sut.TryTake(Feedback("b")));
        Assert.False(sut.TryTake(Feedback("c")));
        Assert.Equal(2, sut.Count);

        sut.Give([first]);
        Assert.True(sut.TryTake(Feedback("c")));
    }

    [Fact]
    public void TryTake_OverMaxPendingBytes_RefusesTakingNothing()
    {
        var sut = Budget(maxCount: 100, maxBytes: 64 * 1024);

        Assert.True(sut.TryTake(Feedback("a", comment: new string('c', 40_000))));
        Assert.False(sut.TryTake(Feedback("b", comment: new string('é', 20_000)))); // 40,000 UTF-8 bytes: over 64 KiB with the first
        Assert.True(sut.TryTake(Feedback("b", comment: new string('c', 20_000))));
        Assert.Equal(2, sut.Count);
    }

    [Fact]
    public void Size_CountsTheUtf8BytesOfEveryTextField()
    {
        var size = PendingFeedbackBudget.Size(new PendingFeedback("id-1", "req", "score", 1, "é", Ts));

        Assert.Equal(4 + 3 + 5 + 2, size);
    }

    private static PendingFeedbackBudget Budget(int maxCount, long maxBytes) =>
        new(Options.Create(new FeedbackOptions { MaxPending = maxCount, MaxPendingBytes = maxBytes }));

    private static PendingFeedback Feedback(string id, string? comment = null) => new(id, "r-" + id, "s", 1, comment, Ts);
}
