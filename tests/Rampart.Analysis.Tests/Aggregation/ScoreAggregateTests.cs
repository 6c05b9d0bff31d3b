using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Tests.Aggregation;

public sealed class ScoreAggregateTests
{
    private static readonly EventKey Unit = EventKey.Of("u1");
    private static readonly EventKey Request = EventKey.Of("r1");

    [Fact]
    public void Add_SameRequestTwice_LaterTimestampWinsWhateverTheOrder()
    {
        var sut = new ScoreAggregate("s");
        sut.Add(Unit, Request, tsTicks: 200, sequence: 1, value: 1);
        sut.Add(Unit, Request, tsTicks: 100, sequence: 2, value: 0);

        var summary = sut.Summarize();

        Assert.Equal(1, summary.Values.Count);
        Assert.Equal(1, summary.Values.Mean);
    }

    [Fact]
    public void Add_SameRequestSameTimestamp_LaterPositionWins()
    {
        var sut = new ScoreAggregate("s");
        sut.Add(Unit, Request, tsTicks: 100, sequence: 2, value: 0);
        sut.Add(Unit, Request, tsTicks: 100, sequence: 1, value: 1);

        Assert.Equal(0, sut.Summarize().Values.Mean);
    }

    [Fact]
    public void Add_WithoutRequestId_EachCountsOnItsOwn()
    {
        var sut = new ScoreAggregate("s");
        sut.Add(Unit, null, 100, 1, 1);
        sut.Add(Unit, null, 100, 2, 0);
        sut.Add(Unit, Request, 100, 3, 1);

        var summary = sut.Summarize();

        Assert.Equal(3, summary.Values.Count);
        Assert.Equal(2, summary.Sum);
        Assert.True(summary.IsBinary);
        Assert.Equal(1, summary.PerUnit.Units);
        Assert.Equal(3, summary.PerUnit.SumOfCounts);
    }

    [Fact]
    public void Summarize_ValueOtherThanZeroOrOne_IsNotBinary()
    {
        var sut = new ScoreAggregate("s");
        sut.Add(Unit, null, 100, 1, 1);
        sut.Add(Unit, null, 100, 2, 0.5);

        Assert.False(sut.Summarize().IsBinary);
    }

    [Fact]
    public void Merge_SameRequestInBoth_KeepsTheLaterOne()
    {
        var sut = new ScoreAggregate("s");
        var other = new ScoreAggregate("s");
        sut.Add(Unit, Request, 100, 1, 0);
        other.Add(Unit, Request, 300, 2, 1);

        sut.Merge(other);

        Assert.Equal(1, sut.Count);
        Assert.Equal(1, sut.Summarize().Values.Mean);
    }

    [Fact]
    public void Add_NonFiniteValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreAggregate("s").Add(Unit, null, 1, 1, double.NaN));
    }
}
