using Rampart.Core.Experiments;

namespace Rampart.Core.Tests.Experiments;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("1m", 1)]
    [InlineData("1h30m", 90)]
    public void TryParse_ValidText_ReadsMinutesAndFormatsBack(string text, int minutes)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
        Assert.Equal(text, DurationText.Format(duration));
    }

    [Fact]
    public void TryParse_Weeks_FormatsAsDays()
    {
        Assert.True(DurationText.TryParse("2w", out var duration));
        Assert.Equal("14d", DurationText.Format(duration));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("d")]
    [InlineData("0s")]
    [InlineData("7 days")]
    [InlineData("-1h")]
    [InlineData("30s\n")]
    public void TryParse_InvalidText_False(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData("1000000w")]
    [InlineData("142858w")]
    [InlineData("1000000w1000000w")]
    public void TryParse_LongerThanFormatCanWriteBack_False(string text)
    {
        // Stored definitions are written with Format and read with TryParse: a duration read now but not then leaves a row
        // nothing can read back (and one such row fails listing every experiment).
        Assert.False(DurationText.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_Longest_FormatsToTextItReadsBack()
    {
        Assert.True(DurationText.TryParse("1000000d", out var longest));
        Assert.True(DurationText.TryParse(DurationText.Format(longest), out var again));
        Assert.Equal(longest, again);
    }

    [Fact]
    public void TryParse_ZeroWhenAllowed_ReadsZero_AndNotWhenNot()
    {
        Assert.True(DurationText.TryParse("0ms", out var zero, allowZero: true));
        Assert.Equal(TimeSpan.Zero, zero);
        Assert.False(DurationText.TryParse("0ms", out _));
        Assert.False(DurationText.TryParse("none", out _, allowZero: true));
    }
}
