using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Reading;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Reading;

public sealed class FastEventParserTests
{
    private delegate bool Parser(ReadOnlySpan<byte> line, out ParsedEvent parsed);

    private static readonly string[] Valid =
    [
        """{"type":"exposure","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"completion","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","request_id":"r-1","ts":"2026-11-01T10:00:01.5+01:00","latency_ms":1234.5,"ttft_ms":310.0,"prompt_tokens":120,"completion_tokens":80,"cost_usd":0.0084,"error":null,"model":"gpt-4","input":"Where is \"it\"?","output":"Here.\nBye \u00e9"}""",
        """{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:01Z","latency_ms":0,"cost_usd":null,"error":"","stage":3,"id":"x"}""",
        """{"type":"feedback","experiment":"prompt-opt-v2","variant":"variant_a","unit":"user-123","request_id":"r-1","ts":"2026-11-01T10:00:05Z","score":"user_satisfaction","value":true,"comment":"Very helpful!","channel":{"a":[1,2]}}""",
        """{"ts":"2026-11-01T10:00:05Z","value":-2.5e1,"score":"stars","unit":"ü","variant":"b","experiment":"x-1_2","type":"feedback","request_id":null}""",
        """{"type":"feedback","experiment":"x","variant":"b","unit":"u1","ts":"2026-11-01T10:00:06Z","request_id":"r1","score":"judge_helpfulness","value":0.75,"source":"judge","model":"gpt-4o-mini","cost_usd":0.00021}""",
    ];

    public static TheoryData<string> Tiers => ["scanner", "reader", "both"];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void TryParse_CommonLines_ReadsWhatCoreParserReads(string tier)
    {
        for (var i = 0; i < Valid.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Valid[i]);
            if (!Tier(tier)(bytes, out var sut))
            {
                // The scanner leaves unknown fields (line 4) to the reader; every other tier reads every common line.
                Assert.True(tier == "scanner" && i == 3, $"{tier} did not read {Valid[i]}");
                continue;
            }

            AssertSame(EventLineParser.Parse(bytes, i + 1), bytes, sut);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("1234.5")]
    [InlineData("1e3")]
    [InlineData("1E+3")]
    [InlineData("2.5e-3")]
    [InlineData("0.1000000000000000055511151231257827")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1e308")]
    [InlineData("1e-400")]
    [InlineData("4.9406564584124654e-324")]
    [InlineData("9007199254740993")]
    public void TryScan_Numbers_ReadLikeUtf8JsonReader(string number)
    {
        var line = Encoding.UTF8.GetBytes($$"""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":{{number}},"prompt_tokens":{{(number.Contains('.', StringComparison.Ordinal) || number.Contains('e', StringComparison.OrdinalIgnoreCase) ? "1" : number)}}}""");

        var scanned = LineScanner.TryScan(line, out var sut);

        var expected = TryCore(line);
        Assert.Equal(expected is not null, scanned);
        if (scanned)
        {
            AssertSame(expected!, line, sut);
        }
    }

    [Theory]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"caf\u00e9","ts":"2026-11-01T10:00:00Z"}""")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","unit":"w"}""")]
    [InlineData("""{"type":"exposure","experiment":"E","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""")]
    [InlineData("""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""")]
    [InlineData("""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","score":"s","value":null}""")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"yesterday"}""")]
    [InlineData("""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"} {}""")]
    [InlineData("""{"\u0074ype":"exposure","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z"}""")]
    [InlineData("""[1,2]""")]
    public void TryParse_UnusualOrInvalidLine_LeavesItToCoreParser(string line)
    {
        Assert.False(FastEventParser.TryParse(Encoding.UTF8.GetBytes(line), out _));
    }

    [Theory]
    [InlineData("scanner", "\"latency_ms\":1e200")]
    [InlineData("scanner", "\"latency_ms\":86400000.001")]
    [InlineData("scanner", "\"latency_ms\":1,\"ttft_ms\":1e300")]
    [InlineData("scanner", "\"latency_ms\":1,\"cost_usd\":1000001")]
    [InlineData("scanner", "\"latency_ms\":1,\"prompt_tokens\":9223372036854775807")]
    [InlineData("scanner", "\"latency_ms\":1,\"stage\":1001")]
    [InlineData("scanner", "\"latency_ms\":1,\"value\":1e200")]
    [InlineData("reader", "\"latency_ms\":1e200")]
    [InlineData("reader", "\"latency_ms\":1,\"cost_usd\":1000001")]
    [InlineData("reader", "\"latency_ms\":1,\"completion_tokens\":1000000001")]
    [InlineData("reader", "\"latency_ms\":1,\"stage\":2147483647")]
    [InlineData("reader", "\"latency_ms\":1,\"value\":-1e200")]
    public void TryParse_NumberOutOfRange_LeavesItToCoreParserWhichNamesIt(string tier, string numbers)
    {
        var line = Encoding.UTF8.GetBytes($$"""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z",{{numbers}}}""");

        Assert.False(Tier(tier)(line, out _));
        Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 1));
    }

    [Theory]
    [InlineData("scanner", "id")]
    [InlineData("scanner", "request_id")]
    [InlineData("reader", "id")]
    [InlineData("reader", "request_id")]
    [InlineData("scanner", "score")]
    [InlineData("reader", "score")]
    public void TryParse_IdOrScoreLongerThanCoreTakes_LeavesItToCoreParserWhichNamesIt(string tier, string field)
    {
        var line = Encoding.UTF8.GetBytes($$"""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"{{field}}":"{{new string('x', 257)}}"}""");
        var longest = Encoding.UTF8.GetBytes($$"""{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"{{field}}":"{{new string('x', 256)}}"}""");

        Assert.False(Tier(tier)(line, out _));
        Assert.Equal($"line 1: '{field}' must be at most 256 characters long, not 257", Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 1)).Message);
        Assert.True(Tier(tier)(longest, out _));
    }

    [Fact]
    public void TryParse_InvalidUtf8InKnownText_LeavesItToCoreParserWhichRejectsIt()
    {
        byte[] line = [.. """{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"model":" """u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(FastEventParser.TryParse(line, out _));
        var error = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 1));
        Assert.Equal("line 1: is not valid UTF-8 JSON", error.Message);
    }

    [FsCheck.Xunit.Property(MaxTest = 3000)]
    public Property TryScan_MutatedLine_AcceptsOnlyWhatCoreParserAcceptsWithTheSameValues() =>
        Prop.ForAll(Mutations().ToArbitrary(), bytes => AssertAgrees(LineScanner.TryScan, bytes));

    [FsCheck.Xunit.Property(MaxTest = 3000)]
    public Property TryParse_MutatedLine_AcceptsOnlyWhatCoreParserAcceptsWithTheSameValues() =>
        Prop.ForAll(Mutations().ToArbitrary(), bytes => AssertAgrees(ReaderEventParser.TryParse, bytes));

    [FsCheck.Xunit.Property(MaxTest = 1000)]
    public Property TryScan_RandomNumbers_AcceptsAndReadsExactlyLikeCoreParser() =>
        Prop.ForAll(Numbers().ToArbitrary(), Gen.Elements("value", "cost_usd", "prompt_tokens").ToArbitrary(), (number, field) =>
        {
            var line = Encoding.UTF8.GetBytes($$"""{"type":"feedback","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","score":"s","value":1,"{{field}}":{{number}}}""".Replace("\"value\":1,\"value\"", "\"value\"", StringComparison.Ordinal));

            Assert.Equal(TryCore(line) is not null, LineScanner.TryScan(line, out _));
            AssertAgrees(LineScanner.TryScan, line);
        });

    [FsCheck.Xunit.Property(MaxTest = 2000)]
    public Property TryScan_RandomTimestamps_AcceptsAndReadsExactlyLikeCoreParser() =>
        Prop.ForAll(Timestamps().ToArbitrary(), ts =>
        {
            var line = Encoding.UTF8.GetBytes($$"""{"type":"exposure","experiment":"e","variant":"v","unit":"u","ts":"{{ts}}"}""");

            Assert.Equal(TryCore(line) is not null, LineScanner.TryScan(line, out _));
            AssertAgrees(LineScanner.TryScan, line);
        });

    // Canonical UTC timestamps with every component a little beyond its range, leap days, and other ISO 8601 forms.
    private static Gen<string> Timestamps() =>
        from year in Gen.Elements(0, 1, 1900, 2000, 2024, 2026, 9999)
        from month in Gen.Choose(0, 13)
        from day in Gen.Choose(0, 32)
        from hour in Gen.Choose(0, 24)
        from minute in Gen.Choose(0, 60)
        from second in Gen.Choose(0, 61)
        from suffix in Gen.Elements("Z", "Z", "Z", "+01:00", ".5Z", "", "z")
        select $"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:{second:D2}{suffix}";

    private static Parser Tier(string tier) => tier switch
    {
        "scanner" => LineScanner.TryScan,
        "reader" => ReaderEventParser.TryParse,
        _ => FastEventParser.TryParse,
    };

    private static ExperimentEvent? TryCore(byte[] line)
    {
        try
        {
            return EventLineParser.Parse(line, 1);
        }
        catch (EventFormatException)
        {
            return null;
        }
    }

    private static void AssertAgrees(Parser parser, byte[] bytes)
    {
        var parsed = TryCore(bytes);
        if (parser(bytes, out var sut))
        {
            Assert.NotNull(parsed);
            AssertSame(parsed, bytes, sut);
        }
    }

    // JSON numbers of every shape (signs, leading zeros, fractions, exponents, many digits) and near misses.
    private static Gen<string> Numbers() =>
        from sign in Gen.Elements("", "-", "+")
        from whole in Gen.Elements("0", "00", "1", "7", "42", "9007199254740993", "123456789012345678901234567890", "")
        from fraction in Gen.Elements("", ".", ".5", ".0001", ".1000000000000000055511151231257827", ".999999999999999999999")
        from exponent in Gen.Elements("", "e", "e5", "E-5", "e+308", "e309", "e-324", "e-400", "e400", "E+0")
        select sign + whole + fraction + exponent;

    // Valid lines with one byte replaced, deleted or inserted, or two fields' values swapped: near misses of every kind.
    private static Gen<byte[]> Mutations() =>
        from line in Gen.Elements(Valid).Select(Encoding.UTF8.GetBytes)
        from kind in Gen.Choose(0, 3)
        from at in Gen.Choose(0, line.Length - 1)
        from b in Gen.Elements("\"{}[],:.-+e0123456789 \\nulltrueaé\u0000"u8.ToArray().Append((byte)0xFF).ToArray())
        select kind switch
        {
            0 => [.. line[..at], b, .. line[(at + 1)..]],
            1 => [.. line[..at], .. line[(at + 1)..]],
            2 => [.. line[..at], b, .. line[at..]],
            _ => line,
        };

    private static void AssertSame(ExperimentEvent expected, ReadOnlySpan<byte> line, ParsedEvent actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Experiment, Encoding.UTF8.GetString(line[actual.Experiment]));
        Assert.Equal(expected.Variant, Encoding.UTF8.GetString(line[actual.Variant]));
        Assert.Equal(EventKey.Of(expected.Unit), EventKey.Of(line[actual.Unit]));
        Assert.Equal(expected.RequestId, actual.RequestId is { } r ? Encoding.UTF8.GetString(line[r]) : null);
        Assert.Equal(expected.Id, actual.Id is { } id ? Encoding.UTF8.GetString(line[id]) : null);
        Assert.Equal(expected.Ts.UtcTicks, actual.TsTicks);
        Assert.Equal(expected.LatencyMs, actual.LatencyMs);
        Assert.Equal(expected.CostUsd, actual.CostUsd);
        Assert.Equal(expected.PromptTokens, actual.PromptTokens);
        Assert.Equal(expected.CompletionTokens, actual.CompletionTokens);
        Assert.Equal(expected.Error is not null, actual.Failed);
        Assert.Equal(expected.Score, actual.Score is { } s ? Encoding.UTF8.GetString(line[s]) : null);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Source, actual.Source is { } source ? Encoding.UTF8.GetString(line[source]) : null);
        Assert.Equal(expected.Model, actual.Model is { } model ? Encoding.UTF8.GetString(line[model]) : null);
    }
}
