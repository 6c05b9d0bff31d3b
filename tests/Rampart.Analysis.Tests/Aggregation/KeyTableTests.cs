using FsCheck;
using FsCheck.Fluent;
using Rampart.Analysis.Aggregation;

namespace Rampart.Analysis.Tests.Aggregation;

public sealed class KeyTableTests
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property GetOrAdd_AnyKeys_BehavesLikeADictionary() =>
        Prop.ForAll(Gen.ArrayOf(Gen.OneOf(Gen.Choose(0, 50).Select(k => (ulong)k), ArbMap.Default.GeneratorFor<ulong>())).ToArbitrary(), keys =>
        {
            var sut = new KeyTable<long>();
            var expected = new Dictionary<ulong, long>();

            foreach (var key in keys)
            {
                ref var value = ref sut.GetOrAdd(new EventKey(key), out var existed);
                Assert.Equal(expected.ContainsKey(key), existed);
                value++;
                expected[key] = expected.GetValueOrDefault(key) + 1;
            }

            Assert.Equal(expected.Count, sut.Count);
            Assert.Equal(expected.OrderBy(e => e.Key), sut.Entries().Select(e => KeyValuePair.Create(e.Key.Value, e.Value)).OrderBy(e => e.Key));
        });

    [Fact]
    public void GetOrAdd_HundredThousandKeys_GrowsAndKeepsEveryValue()
    {
        var sut = new KeyTable<int>();
        for (var i = 1; i <= 100_000; i++)
        {
            sut.GetOrAdd(EventKey.Of($"user-{i}"), out _) = i;
        }

        Assert.Equal(100_000, sut.Count);
        Assert.Equal(5_000_050_000L, sut.Values().Sum(v => (long)v));
        Assert.Equal(777, sut.GetOrAdd(EventKey.Of("user-777"), out var existed));
        Assert.True(existed);
    }
}
