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
