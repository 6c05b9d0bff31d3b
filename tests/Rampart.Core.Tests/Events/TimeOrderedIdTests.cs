using Rampart.Core.Events;

namespace Rampart.Core.Tests.Events;

public sealed class TimeOrderedIdTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 1, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void NewGuid_AnyTimestamp_IsVersion7WithTheTimestampAsGuidCreateVersion7Writes()
    {
        var sut = TimeOrderedId.NewGuid(At);

        var expected = Guid.CreateVersion7(At).ToString();
        Assert.Equal(7, sut.Version);
        Assert.Equal(0b10, sut.Variant >> 2);
        Assert.Equal(expected[..13], sut.ToString()[..13]);   // the 48 bits of milliseconds
    }

    [Fact]
    public void New_MoreIdsThanOneBufferHolds_AllDistinctAndWellFormed()
    {
        var sut = Enumerable.Range(0, 10_000).Select(_ => TimeOrderedId.New(At)).ToList();

        Assert.Equal(sut.Count, sut.Distinct(StringComparer.Ordinal).Count());
        Assert.All(sut, id => Assert.Equal((7, 0b10), (Guid.Parse(id).Version, Guid.Parse(id).Variant >> 2)));
        Assert.All(sut, id => Assert.Equal(36, id.Length));
    }

    [Fact]
    public void New_IdsFromManyThreads_AllDistinct()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                ids.Add(TimeOrderedId.NewGuid(At));
            }
        });

        Assert.Equal(16_000, ids.Distinct().Count());
    }

    [Fact]
    public void NewGuid_GivenRandomBytes_TheyFillTheIdAroundTheVersionAndVariant()
    {
        byte[] random = [0xFF, 0x01, 0xFF, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09];

        var sut = TimeOrderedId.NewGuid(At, random);

        Assert.Equal(Guid.CreateVersion7(At).ToString()[..13] + "-7f01-bf03-040506070809", sut.ToString());
    }

    [Fact]
    public void NewGuid_NotTenRandomBytes_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeOrderedId.NewGuid(At, new byte[9]));

    [Fact]
    public void NewGuid_BeforeTheUnixEpoch_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeOrderedId.NewGuid(new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero)));
}
