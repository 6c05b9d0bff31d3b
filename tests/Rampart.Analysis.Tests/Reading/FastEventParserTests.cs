using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Reading;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Reading;

public sealed class FastEventParserTests
{
    private static readonly string[] Valid =
    [
        """{"type":"exposure","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"completion","experiment":"prompt-opt-v2","variant":"control","unit":"user-123","request_id":"r-1","ts":"2026-11-01T10:00:01.5+01:00","latency_ms":1234.5,"ttft_ms":310.0,"prompt_tokens":120,"completion_tokens":80,"cost_usd":0.0084,"error":null,"model":"gpt-4","input":"Where is \"it\"?","output":"Here.\nBye \u00e9"}""",
        """{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:01Z","latency_ms":0,"cost_usd":null,"error":"","stage":3,"id":"x"}""",
        """{"type":"feedback","experiment":"prompt-opt-v2","variant":"variant_a","unit":"user-123","request_id":"r-1","ts":"2026-11-01T10:00:05Z","score":"user_satisfaction","value":true,"comment":"Very helpful!","channel":{"a":[1,2]}}""",
        """{"ts":"2026-11-01T10:00:05Z","value":-2.5e1,"score":"stars","unit":"ü","variant":"b","experiment":"x-1_2","type":"feedback","request_id":null}""",
    ];

    [Fact]
    public void TryParse_CommonLines_ReadsWhatCoreParserReads()
    {
        for (var i = 0; i < Valid.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Valid[i]);

            Assert.True(FastEventParser.TryParse(bytes, out var sut), Valid[i]);

            AssertSame(EventLineParser.Parse(bytes, i + 1), bytes, sut);
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

    [Fact]
    public void TryParse_InvalidUtf8InKnownText_LeavesItToCoreParserWhichRejectsIt()
    {
        byte[] line = [.. """{"type":"completion","experiment":"e","variant":"v","unit":"u","ts":"2026-11-01T10:00:00Z","latency_ms":1,"model":" """u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(FastEventParser.TryParse(line, out _));
        var error = Assert.Throws<EventFormatException>(() => EventLineParser.Parse(line, 1));
        Assert.Equal("line 1: is not valid UTF-8 JSON", error.Message);
    }

    [FsCheck.Xunit.Property(MaxTest = 3000)]
    public Property TryParse_MutatedLine_AcceptsOnlyWhatCoreParserAcceptsWithTheSameValues() =>
        Prop.ForAll(Mutations().ToArbitrary(), bytes =>
        {
            ExperimentEvent? parsed = null;
            try
            {
                parsed = EventLineParser.Parse(bytes, 1);
            }
            catch (EventFormatException)
            {
            }

            if (FastEventParser.TryParse(bytes, out var sut))
            {
                Assert.NotNull(parsed);
                AssertSame(parsed, bytes, sut);
            }
        });

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
        Assert.Equal(expected.Ts.UtcTicks, actual.TsTicks);
        Assert.Equal(expected.LatencyMs, actual.LatencyMs);
        Assert.Equal(expected.CostUsd, actual.CostUsd);
        Assert.Equal(expected.PromptTokens, actual.PromptTokens);
        Assert.Equal(expected.CompletionTokens, actual.CompletionTokens);
        Assert.Equal(expected.Error is not null, actual.Failed);
        Assert.Equal(expected.Score, actual.Score is { } s ? Encoding.UTF8.GetString(line[s]) : null);
        Assert.Equal(expected.Value, actual.Value);
    }
}
