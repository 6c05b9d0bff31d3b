using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class StorageTextTests
{
    [Fact]
    public void Timestamp_Utf8_WritesTheSameTextAsTheStringForm()
    {
        var instants =
            from ticks in ArbMap.Default.GeneratorFor<long>()
            from offset in Gen.Choose(-14 * 60, 14 * 60)
            let utc = Math.Abs(ticks % (DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay)) + TimeSpan.TicksPerDay
            select new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset));

        Prop.ForAll(instants.ToArbitrary(), instant =>
        {
            var text = StorageText.Timestamp(instant);

            Assert.Equal(text, Encoding.ASCII.GetString(StorageText.Timestamp(instant, stackalloc byte[StorageText.TimestampLength])));
            Assert.Equal(instant.UtcTicks, StorageText.ParseTimestamp(text).UtcTicks);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00.0000000Z")]
    [InlineData("2026-11-01T10:00:00.1234567Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void Timestamp_Extremes_RoundTrip(string text)
    {
        var instant = StorageText.ParseTimestamp(text);

        Assert.Equal(text, StorageText.Timestamp(instant));
        Assert.Equal(text, Encoding.ASCII.GetString(StorageText.Timestamp(instant, stackalloc byte[StorageText.TimestampLength])));
    }

    [Fact]
    public void Parse_EveryName_ReadsItsEnumBack()
    {
        Assert.All(Enum.GetValues<AuditAction>(), a => Assert.Equal(a, StorageText.Parse<AuditAction>(StorageText.Name(a), "action")));
        Assert.All(Enum.GetValues<ExperimentState>(), s => Assert.Equal(s, StorageText.Parse<ExperimentState>(StorageText.Name(s), "state")));
        Assert.All(Enum.GetValues<AllocationKind>(), k => Assert.Equal(k, StorageText.Parse<AllocationKind>(StorageText.Name(k), "kind")));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("launched")]
    public void Parse_UnknownName_ThrowsNamingColumnAndValue(string text)
    {
        var ex = Assert.Throws<InvalidDataException>(() => StorageText.Parse<ExperimentState>(text, "state"));

        Assert.StartsWith($"Column 'state' holds '{text}', which is not one of draft, running, paused, completed;", ex.Message, StringComparison.Ordinal);
    }
}
