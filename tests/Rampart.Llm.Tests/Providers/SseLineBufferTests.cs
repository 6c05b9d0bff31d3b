using System.Text;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Tests.Providers;

public sealed class SseLineBufferTests
{
    [Fact]
    public void TryReadLine_LinesSplitAcrossReadsAndCrLf_EachLineWhole()
    {
        var sut = new SseLineBuffer();
        var lines = new List<string>();
        var text = "data: {\"a\":1}\r\n\r\ndata: " + new string('x', 10_000) + "\n\ndata: [DONE]\n\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < bytes.Length; i += 7)
        {
            sut.Append(bytes.AsSpan(i, Math.Min(7, bytes.Length - i)));
            while (sut.TryReadLine(out var line))
            {
                lines.Add(Encoding.UTF8.GetString(line));
            }
        }

        Assert.Equal(["data: {\"a\":1}", "", "data: " + new string('x', 10_000), "", "data: [DONE]", ""], lines);
    }

    [Fact]
    public void TryReadLine_LineOverTheLimit_StopsWithTooLongAndHoldsNoMoreThanTheLimit()
    {
        var sut = new SseLineBuffer(maxLineBytes: 1024);
        var piece = Encoding.ASCII.GetBytes(new string('x', 300));

        var reads = 0;
        while (!sut.TooLong)
        {
            sut.Append(piece);
            reads++;
            Assert.False(sut.TryReadLine(out _));
        }

        Assert.Equal(4, reads); // 1200 bytes without a line break: over 1024 at the fourth read
    }

    [Fact]
    public void TryReadLine_CompleteLineOverTheLimit_IsNotHandedOut()
    {
        var sut = new SseLineBuffer(maxLineBytes: 1024);
        sut.Append(Encoding.ASCII.GetBytes("data: ok\n" + new string('x', 2000) + "\n"));

        Assert.True(sut.TryReadLine(out var first));
        Assert.Equal("data: ok", Encoding.ASCII.GetString(first));
        Assert.False(sut.TryReadLine(out _));
        Assert.True(sut.TooLong);
    }

    [Fact]
    public void TryReadLine_LongLineInTinyReads_TakesLinearTime()
    {
        // 8 MiB in 64-byte reads: re-scanning the pending bytes at every read (the old way) reads ~500 GB; once, 8 MiB.
        var sut = new SseLineBuffer(maxLineBytes: 16 * 1024 * 1024);
        var piece = Encoding.ASCII.GetBytes(new string('x', 64));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 8 * 1024 * 1024 / 64; i++)
        {
            sut.Append(piece);
            Assert.False(sut.TryReadLine(out _));
        }

        sut.Append("\n"u8);
        Assert.True(sut.TryReadLine(out var line));
        Assert.Equal(8 * 1024 * 1024, line.Length);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Unrelayed_AfterReadingLines_IsThoseLinesAsTheyArrivedWithoutThePartialOne()
    {
        var sut = new SseLineBuffer();
        sut.Append("data: a\r\n\ndata: b\n\ndata: par"u8);
        while (sut.TryReadLine(out _))
        {
        }

        Assert.Equal("data: a\r\n\ndata: b\n\n", Encoding.UTF8.GetString(sut.Unrelayed.Span));
        sut.MarkRelayed();
        sut.Append("tial\n"u8);
        Assert.True(sut.TryReadLine(out var line));
        Assert.Equal("data: partial", Encoding.UTF8.GetString(line));
        Assert.Equal("data: partial\n", Encoding.UTF8.GetString(sut.Unrelayed.Span));
    }

    [Theory]
    [InlineData("data: {}", true, "{}")]
    [InlineData("data:{}", true, "{}")]
    [InlineData("event: ping", false, "")]
    [InlineData(": comment", false, "")]
    public void TryGetData_Line_PayloadOfDataLinesOnly(string line, bool isData, string payload)
    {
        var found = SseLineBuffer.TryGetData(Encoding.UTF8.GetBytes(line), out var data);

        Assert.Equal((isData, payload), (found, Encoding.UTF8.GetString(data)));
    }
}
