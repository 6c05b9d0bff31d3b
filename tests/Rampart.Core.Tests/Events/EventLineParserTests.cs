using System.Text;
using System.Text.Json;
using Rampart.Core.Events;

namespace Rampart.Core.Tests.Events;

public sealed class EventLineParserTests
{
    private const string Completion =
        """{"type":"completion","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","request_id":"r-1","ts":"2026-11-01T10:00:00Z","latency_ms":1234.5,"ttft_ms":310.0,"prompt_tokens":120,"completion_tokens":80,"cost_usd":0.0084,"error":null,"model":"gpt-4","input":"hi","output":"hello"}""";

    [Fact]
    public void Parse_DesignCompletion_ReadsEveryField()
    {
        var sut = EventLineParser.Parse(Completion, 1);

        Assert.Equal(EventType.Completion, sut.Type);
        Assert.Equal(("prompt-opt-v2", "control", "user-123", "r-1"), (sut.Experiment, sut.Variant, sut.Unit, sut.RequestId));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), sut.Ts);
        Assert.Equal((1234.5, 310.0, 120L, 80L, 0.0084), (sut.LatencyMs!.Value, sut.TtftMs!.Value, sut.PromptTokens!.Value, sut.CompletionTokens!.Value, sut.CostUsd!.Value));
        Assert.Equal(((string?)null, "gpt-4", "hi", "hello"), (sut.Error, sut.Model, sut.Input, sut.Output));
    }

    [Fact]
    public void Parse_FeedbackWithBooleanValue_ReadsAsOne()
    {
        var sut = EventLineParser.Parse("""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","request_id":"r","score":"thumbs","value":true,"comment":"Very helpful!"}""", 1);

        Assert.Equal(("thumbs", 1.0, "Very helpful!"), (sut.Score, sut.Value!.Value, sut.Comment));
    }

    [Fact]
    public void WriteThenParse_KeepsUnknownFields()
    {
        var line = """{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00.25Z","id":"x1","stage":2,"tenant":{"id":7,"tags":["a"]},"note":"é"}""";
        var parsed = EventLineParser.Parse(line, 1);

        var written = Write(parsed);

        Assert.Equal(line, written);
        Assert.Equal(parsed, EventLineParser.Parse(written, 1));
    }

    [Fact]
    public void Write_Completion_ParsesBackEqual()
    {
        var parsed = EventLineParser.Parse(Completion, 1);

        Assert.Equal(parsed, EventLineParser.Parse(Write(parsed), 1));
    }

    [Theory]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""", "line 7: latency_ms is required on a completion")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":"fast"}""", "line 7: latency_ms must be a non-negative number or null")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":-1}""", "line 7: latency_ms must be a non-negative number or null")]
    [InlineData("""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","score":"s","value":"NaN"}""", "line 7: value must be a finite number (or true/false)")]
    [InlineData("""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","score":"s"}""", "line 7: value is required on feedback (a finite number)")]
    [InlineData("""{"type":"click","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""", "line 7: type must be \"exposure\", \"completion\" or \"feedback\"")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"","ts":"2026-11-01T10:00:00Z"}""", "line 7: unit must be a non-empty string")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","ts":"2026-11-01T10:00:00Z"}""", "line 7: unit is required")]
    [InlineData("""{"type":"exposure","experiment":"E X","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""", "line 7: experiment 'E X' is not a valid experiment key")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"yesterday"}""", "line 7: ts must be an ISO 8601 timestamp")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","unit":"w","ts":"2026-11-01T10:00:00Z"}""", "line 7: unit is given twice")]
    [InlineData("""{"type":"exposure",""", "line 7: is not valid JSON")]
    [InlineData("""[1,2]""", "line 7: is not a JSON object")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"} {}""", "line 7: holds more than one JSON value")]
    public void Parse_BadLine_NamesLineAndField(string line, string expected)
    {
        var ex = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 7));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(7, ex.Line);
    }

    [Fact]
    public void Parse_InvalidUtf8_ReportsLine()
    {
        byte[] line = [.. "{\"type\":\"exposure\",\"experiment\":\"e\",\"variant\":\"v\",\"unit\":\""u8, 0xC3, 0x28, .. "\",\"ts\":\"2026-11-01T10:00:00Z\"}"u8];

        var ex = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 3));

        Assert.StartsWith("line 3:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Stream_SkipsBlankLinesAndReportsBadOnesWithNumbers()
    {
        var text = Completion + "\r\n\n   \n{\"type\":\"nope\"}\n" + Completion;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var lines = EventLineReader.Read(stream).ToList();

        Assert.Equal([1L, 4L, 5L], lines.Select(l => l.Line));
        Assert.NotNull(lines[0].Event);
        Assert.Equal("type", lines[1].Error!.Field);
        Assert.NotNull(lines[2].Event);
    }

    [Fact]
    public void Read_LongLinesAcrossBufferBoundaries_AllParsed()
    {
        var big = Completion.Replace("\"hello\"", "\"" + new string('x', 200_000) + "\"", StringComparison.Ordinal);
        var text = string.Join('\n', Enumerable.Repeat(big, 3).Concat(Enumerable.Repeat(Completion, 5000)));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var lines = EventLineReader.Read(stream).ToList();

        Assert.Equal(5003, lines.Count);
        Assert.All(lines, l => Assert.Null(l.Error));
        Assert.Equal(200_000, lines[2].Event!.Output!.Length);
    }

    private static string Write(ExperimentEvent e)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = EventLineWriter.Encoder }))
        {
            EventLineWriter.Write(writer, e);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
