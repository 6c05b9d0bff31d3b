using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Tests.Aggregation;

public sealed class FeedbackLedgerTests
{
    private static readonly EventKey Request = EventKey.Of("r1");
    private static readonly EventKey Unit = EventKey.Of("u1");

    [Fact]
    public void Record_FirstFeedback_CountsAndReplacesNothing()
    {
        var sut = new FeedbackLedger();

        Assert.True(sut.Record(Request, new FeedbackEntry(Unit, 10, 1, 1), out var replaced));
        Assert.Null(replaced);
        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void Record_EarlierTimestampArrivingLater_ChangesNothing()
    {
        var sut = new FeedbackLedger();
        sut.Record(Request, new FeedbackEntry(Unit, 10, 1, 1), out _);

        Assert.False(sut.Record(Request, new FeedbackEntry(Unit, 5, 2, 0), out var replaced));
        Assert.Null(replaced);
        Assert.Equal(1, GetOnly(sut).Value);
    }

    [Theory]
    [InlineData(11, 0)]
    [InlineData(10, 2)]
    public void Record_LaterFeedback_ReplacesAndReportsTheDisplacedEntry(long ts, long sequence)
    {
        var sut = new FeedbackLedger();
        var first = new FeedbackEntry(Unit, 10, 1, 1);
        sut.Record(Request, first, out _);

        Assert.True(sut.Record(Request, new FeedbackEntry(EventKey.Of("u2"), ts, sequence, 0), out var replaced));
        Assert.Equal(first, replaced);
        Assert.Equal(0, GetOnly(sut).Value);
        Assert.Equal(1, sut.Count);
    }

    private static FeedbackEntry GetOnly(FeedbackLedger ledger)
    {
        var entries = new List<FeedbackEntry>();
        foreach (var (_, entry) in ledger)
        {
            entries.Add(entry);
        }

        return Assert.Single(entries);
    }
}
