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

    // The parser reuses the strings of experiment keys and variant names that recent lines gave (four per thread, the oldest
    // replaced first): the three keys are always reused; "steady", every other line, outlives the three other variants read
    // after it; those (18, some non-ASCII, each back after more than four lines) keep evicting. Each line still reads as its
    // own text, an invalid key is refused after valid ones, and an escaped key is the same key.
    [Fact]
    public void Parse_ManyLinesRepeatingSomeKeysAndVariants_ReadsEachAsWrittenReusingRecentStrings()
    {
        var expected = Enumerable.Range(0, 60)
            .Select(i => ($"exp_{i % 3}", i % 2 == 0 ? "steady" : $"v{i % 9}-{(i % 4 == 1 ? "é" : "a")}"))
            .ToList();

        var parsed = expected.Select((e, i) => EventLineParser.Parse(
            $$"""{"type":"exposure","experiment":"{{e.Item1}}","variant":"{{e.Item2}}","unit":"u","ts":"2026-11-01T10:00:00Z"}""", i + 1)).ToList();
        var invalid = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(
            """{"type":"exposure","experiment":"exp_1 ","variant":"v1-a","unit":"u","ts":"2026-11-01T10:00:00Z"}""", 61));
        var escaped = EventLineParser.Parse("""{"type":"exposure","experiment":"\u0065xp_1","variant":"v1-\u0061","unit":"u","ts":"2026-11-01T10:00:00Z"}""", 62);
        var repeated = EventLineParser.Parse("""{"type":"exposure","experiment":"exp_1","variant":"v1-a","unit":"u","ts":"2026-11-01T10:00:00Z"}""", 63);

        Assert.Equal(expected, parsed.Select(e => (e.Experiment, e.Variant)));
        Assert.All(Enumerable.Range(3, 57), i => Assert.Same(parsed[i % 3].Experiment, parsed[i].Experiment));
        Assert.All(Enumerable.Range(1, 3), i => Assert.Same(parsed[0].Variant, parsed[2 * i].Variant));
        Assert.Equal("line 61: 'experiment' must be a valid experiment key, not 'exp_1 '", invalid.Message);
        Assert.Equal([("exp_1", "v1-a"), ("exp_1", "v1-a")], new[] { (escaped.Experiment, escaped.Variant), (repeated.Experiment, repeated.Variant) });
        Assert.Same(parsed[1].Experiment, repeated.Experiment);
    }

    [Fact]
    public void Parse_FeedbackWithBooleanValue_ReadsAsOne()
    {
        var sut = EventLineParser.Parse("""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","request_id":"r","score":"thumbs","value":true,"comment":"Very helpful!"}""", 1);

        Assert.Equal(("thumbs", 1.0, "Very helpful!"), (sut.Score, sut.Value!.Value, sut.Comment));
    }

    [Fact]
    public void WriteThenParse_JudgeFeedback_KeepsSourceModelAndCost()
    {
        var line = """{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","id":"judge_q:r","request_id":"r","score":"judge_q","value":0.75,"source":"judge","model":"gpt-4.1-mini","cost_usd":0.00012}""";
        var parsed = EventLineParser.Parse(line, 1);

        var written = Write(parsed);

        Assert.Equal(("judge", "gpt-4.1-mini", 0.00012), (parsed.Source, parsed.Model, parsed.CostUsd!.Value));
        Assert.Equal(line, written);
    }

    [Fact]
    public void WriteThenParse_ShadowCompletionAndTheServedOneItPairsWith_KeepShadowAndPairId()
    {
        var shadow = """{"type":"completion","experiment":"e","variant":"variant_b","unit":"u","ts":"2026-11-01T10:00:00Z","id":"s1","stage":0,"request_id":"shadow-r1","shadow":true,"pair_id":"r1","latency_ms":700,"cost_usd":0.001,"error":null}""";
        var served = """{"type":"completion","experiment":"e","variant":"control","unit":"u","ts":"2026-11-01T10:00:00Z","id":"c1","stage":0,"request_id":"r1","pair_id":"r1","latency_ms":1200,"cost_usd":0.002,"error":null}""";

        var parsedShadow = EventLineParser.Parse(shadow, 1);
        var parsedServed = EventLineParser.Parse(served, 2);

        Assert.Equal((true, "r1"), (parsedShadow.Shadow, parsedShadow.PairId));
        Assert.Equal((false, "r1"), (parsedServed.Shadow, parsedServed.PairId));
        Assert.Equal(shadow, Write(parsedShadow));
        Assert.Equal(served, Write(parsedServed));
    }

    [Fact]
    public void WriteThenParse_ExposureWithAttributes_KeepsTheObject()
    {
        var line = """{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","attributes":{"plan":"pro","seats":12,"beta":true}}""";

        var parsed = EventLineParser.Parse(line, 1);

        Assert.Equal("""{"plan":"pro","seats":12,"beta":true}""", parsed.Attributes);
        Assert.Equal(line, Write(parsed));
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
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""", "line 7: 'latency_ms' is required on a completion")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":"fast"}""", "line 7: 'latency_ms' must be a number of milliseconds in [0, 86400000] or null")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":-1}""", "line 7: 'latency_ms' must be a number of milliseconds in [0, 86400000] or null")]
    [InlineData("""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","score":"s","value":"NaN"}""", "line 7: 'value' must be a finite number in [-1000000000, 1000000000] (or true/false)")]
    [InlineData("""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","score":"s"}""", "line 7: 'value' is required on feedback (a finite number in [-1000000000, 1000000000])")]
    [InlineData("""{"type":"click","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""", "line 7: 'type' must be \"exposure\", \"completion\" or \"feedback\"")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"","ts":"2026-11-01T10:00:00Z"}""", "line 7: 'unit' must be a non-empty string")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","ts":"2026-11-01T10:00:00Z"}""", "line 7: 'unit' is required")]
    [InlineData("""{"type":"exposure","experiment":"E X","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""", "line 7: 'experiment' must be a valid experiment key, not 'E X'")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"yesterday"}""", "line 7: 'ts' must be an ISO 8601 timestamp")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","unit":"w","ts":"2026-11-01T10:00:00Z"}""", "line 7: 'unit' is given twice")]
    [InlineData("""{"type":"exposure",""", "line 7: is not valid JSON")]
    [InlineData("""[1,2]""", "line 7: is not a JSON object")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"} {}""", "line 7: holds more than one JSON value")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"shadow":true}""", "line 7: 'pair_id' is required on a shadow event (the request id of the served call it pairs with)")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","shadow":true,"pair_id":"r"}""", "line 7: 'shadow' is only for completions and feedback: nobody is exposed to a shadow answer")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"shadow":"yes","pair_id":"r"}""", "line 7: 'shadow' must be true, false or null")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"pair_id":""}""", "line 7: 'pair_id' must be a non-empty string or null")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","attributes":["pro"]}""", "line 7: 'attributes' must be a JSON object of strings, numbers and booleans, or null")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","attributes":{"plan":{"tier":1}}}""", "line 7: 'attributes' plan must be a string, a finite number or a boolean")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","attributes":{"plan":"\ud800"}}""", "line 7: 'attributes' plan must be valid Unicode")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","attributes":{"\ud800":"pro"}}""", "line 7: 'attributes' an attribute's name must be valid Unicode")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"pair_id":"\ud800"}""", "line 7: is not valid UTF-8 JSON")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","id":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""", "line 7: 'id' must be at most 256 characters long, not 257")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"request_id":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""", "line 7: 'request_id' must be at most 256 characters long, not 257")]
    public void Parse_BadLine_NamesLineAndField(string line, string expected)
    {
        var ex = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 7));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(7, ex.Line);
    }

    [Theory]
    [InlineData("\"latency_ms\":1e200", "'latency_ms' must be a number of milliseconds in [0, 86400000] or null, not 1e200")]
    [InlineData("\"latency_ms\":1,\"ttft_ms\":-0.5", "'ttft_ms' must be a number of milliseconds in [0, 86400000] or null, not -0.5")]
    [InlineData("\"latency_ms\":1,\"cost_usd\":1e7", "'cost_usd' must be a number of US dollars in [0, 1000000] or null, not 1e7")]
    [InlineData("\"latency_ms\":1,\"prompt_tokens\":9223372036854775807", "'prompt_tokens' must be a whole number in [0, 1000000000] or null, not 9223372036854775807")]
    [InlineData("\"latency_ms\":1,\"completion_tokens\":1000000001", "'completion_tokens' must be a whole number in [0, 1000000000] or null, not 1000000001")]
    [InlineData("\"latency_ms\":1,\"stage\":1001", "'stage' must be a whole number in [0, 1000] or null, not 1001")]
    public void Parse_CompletionNumberOutOfRange_NamesLineFieldAndRange(string numbers, string expected)
    {
        var line = $$"""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z",{{numbers}}}""";

        var ex = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 4));

        Assert.Equal($"line 4: {expected}", ex.Message);
    }

    [Theory]
    [InlineData("1e200")]
    [InlineData("-1000000001")]
    public void Parse_FeedbackValueOutOfRange_NamesValueAndRange(string value)
    {
        var line = $$"""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","score":"s","value":{{value}}}""";

        var ex = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 2));

        Assert.Equal($"line 2: 'value' must be a finite number in [-1000000000, 1000000000] (or true/false), not {value}", ex.Message);
    }

    [Fact]
    public void Parse_NumbersAtTheirLimits_Accepted()
    {
        var sut = EventLineParser.Parse("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","stage":1000,"latency_ms":86400000,"ttft_ms":86400000,"prompt_tokens":1000000000,"completion_tokens":1000000000,"cost_usd":1000000}""", 1);

        Assert.Equal((86_400_000.0, 1_000_000_000L, 1_000_000.0, 1000), (sut.LatencyMs!.Value, sut.PromptTokens!.Value, sut.CostUsd!.Value, sut.Stage!.Value));
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
