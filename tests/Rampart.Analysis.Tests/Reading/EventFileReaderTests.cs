using System.Text;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Reading;
using Rampart.Core.Events;

namespace Rampart.Analysis.Tests.Reading;

public sealed class EventFileReaderTests
{
    private const string Good = """{"type":"exposure","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z"}""";

    private static readonly string[] Bad =
    [
        """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":"slow"}""",
        """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"feedback","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","score":"s","value":NaN}""",
        """{"type":"feedback","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","value":1}""",
        """{"type":"exposure","experiment":"E1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"exposure","experiment":"e1","variant":"control","unit":"","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"exposure","experiment":"e1","variant":"control","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"click","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"exposure","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","ts":"2026-11-01T10:00:00Z"}""",
        """{"type":"exposure","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01"} x""",
        """not json""",
        """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":-1}""",
        """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":1,"prompt_tokens":1.5}""",
        """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":1e200}""",
        """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":1,"cost_usd":1e200}""",
        """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":1,"prompt_tokens":9223372036854775807}""",
        """{"tenant":1,"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":1,"completion_tokens":1000000001}""",
        """{"type":"feedback","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","score":"s","value":1e200}""",
        """{"type":"exposure","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","stage":1001}""",
    ];

    [Fact]
    public void Read_CancelledCompletions_AreNeitherRequestsNorErrorsOnEveryParserPath()
    {
        var lines = new EventLines()
            .Completion("control", "u1", 100)
            .Completion("control", "u1", 200, error: "cancelled")        // scanned by hand
            .Completion("control", "u2", 300, error: "cancelled")        // the same token again: taken from memory
            .Completion("control", "u3", 400, error: "cancel\\u006ced") // escaped: read by the JSON reader
            .Raw("""{"type":"completion","experiment":"prompt-opt-v2","variant":"control","unit":"u\u0034","ts":"2026-11-01T10:00:00Z","latency_ms":1,"error":"cancelled"}""")
            .Completion("control", "u5", 500, error: "timeout")
            .Completion("control", "u6", 600, error: "cancelled.");

        var sut = Assert.Single(lines.Aggregate().Variants);

        Assert.Equal((3L, 2L), (sut.Requests, sut.Errors));
    }

    [Fact]
    public void Read_InvalidLines_ReportsTheSameLinesFieldsAndMessagesAsCoreReader()
    {
        var text = string.Join("\n", Bad.SelectMany(b => new[] { Good, b }));
        var expected = EventLineReader.Read(Stream(text)).Where(l => l.Error is not null).Select(l => l.Error!.Message).ToList();

        var sut = EventFileReader.Read(Stream(text), new EventFileOptions(SkipInvalid: true, KeptErrors: 100));

        Assert.Equal(Bad.Length, expected.Count);
        Assert.Equal(expected, sut.Errors.Select(e => e.Message));
        Assert.Equal(Bad.Length, sut.SkippedLines);
        Assert.Equal(Bad.Length, sut.Events);
        Assert.Contains("line 2: 'latency_ms' must be a number of milliseconds in [0, 86400000] or null", expected);
    }

    [Fact]
    public void Read_InvalidLineWithoutSkip_ThrowsWithLineAndField()
    {
        var text = $"{Good}\n\n{Bad[0]}\n{Good}";

        var error = Assert.Throws<EventFormatException>(() => EventFileReader.Read(Stream(text)));

        Assert.Equal(3, error.Line);
        Assert.Equal("latency_ms", error.Field);
        Assert.Equal("line 3: 'latency_ms' must be a number of milliseconds in [0, 86400000] or null", error.Message);
    }

    [Fact]
    public void Read_SkipInvalid_KeepsOnlyTheFirstErrorsButCountsAll()
    {
        var text = string.Join("\n", Enumerable.Repeat(Bad[1], 30));

        var sut = EventFileReader.Read(Stream(text), new EventFileOptions(SkipInvalid: true, KeptErrors: 5));

        Assert.Equal(30, sut.SkippedLines);
        Assert.Equal(5, sut.Errors.Count);
        Assert.Equal(0, sut.Events);
        Assert.Empty(sut.Experiments);
    }

    [Fact]
    public void Read_BomCrLfBlankLinesAndNoFinalNewline_ReadLikeCoreReader()
    {
        var text = "\uFEFF" + Good + "\r\n   \r\n\t\n" + Good.Replace("u1", "u2", StringComparison.Ordinal) + "\r\n" + Bad[1];

        var sut = EventFileReader.Read(Stream(text), new EventFileOptions(SkipInvalid: true));

        Assert.Equal(2, sut.Events);
        Assert.Equal("line 5: 'latency_ms' is required on a completion", Assert.Single(sut.Errors).Message);
        Assert.Equal(2, sut.Experiments.Single().Variants.Single().CountUnits(fromExposures: true));
    }

    [Fact]
    public void Read_LineLongerThanTheBuffer_IsRead()
    {
        var comment = new string('x', 3 << 20);
        var text = $$"""{"type":"feedback","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","score":"s","value":4,"comment":"{{comment}}"}""";

        var sut = EventFileReader.Read(Stream(text + "\n" + Good));

        Assert.Equal(2, sut.Events);
        Assert.Equal(4, sut.Experiments.Single().Variants.Single().FindScore("s")!.Summarize().Values.Mean);
    }

    [Fact]
    public void Read_SameIdEscapedAndRaw_CountsOneUnit()
    {
        var text = Good.Replace("u1", "caf\\u00e9", StringComparison.Ordinal) + "\n" + Good.Replace("u1", "café", StringComparison.Ordinal);

        var sut = EventFileReader.Read(Stream(text));

        Assert.Equal(1, sut.Experiments.Single().Variants.Single().CountUnits(fromExposures: true));
    }

    [Fact]
    public void Read_SeveralExperiments_OneAggregateEachInOrderSeen()
    {
        var text = $"{Good.Replace("e1", "e2", StringComparison.Ordinal)}\n{Good}\n{Good.Replace("e1", "e2", StringComparison.Ordinal)}";

        var sut = EventFileReader.Read(Stream(text), new EventFileOptions(QuantileMode.Sketch));

        Assert.Equal(["e2", "e1"], sut.Experiments.Select(e => e.Experiment));
        Assert.All(sut.Experiments, e => Assert.Equal(QuantileMode.Sketch, e.Mode));
    }

    [Fact]
    public void Read_DuplicateIds_CountsEachEventOnceFirstWinsAcrossReaders()
    {
        const string First = """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","id":"c-1","latency_ms":100,"prompt_tokens":10}""";
        var text = string.Join("\n",
            First,
            First.Replace("100", "900", StringComparison.Ordinal),
            """{"note":"unknown field, so the second reader","type":"completion","experiment":"e1","variant":"control","unit":"u2","ts":"2026-11-01T10:00:00Z","id":"c-1","latency_ms":5}""",
            """{"type":"completion","experiment":"e1","variant":"control","unit":"u3","ts":"2026-11-01T10:00:00Z","id":"c-\u0031","latency_ms":7}""",
            """{"type":"exposure","experiment":"e2","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","id":"c-1"}""",
            First.Replace("c-1", "c-2", StringComparison.Ordinal));

        var sut = EventFileReader.Read(Stream(text));

        var variant = sut.Experiments.Single().Variants.Single();
        Assert.Equal((2L, 4L), (sut.Events, sut.Duplicates));
        Assert.Equal((2L, 20L, 100.0), (variant.Requests, variant.PromptTokens, variant.Latency.Mean));
    }

    [Fact]
    public void Read_OutOfRangeLinesSkipped_AggregatesOnlyTheValidOnes()
    {
        var text = string.Join("\n",
            """{"type":"completion","experiment":"e1","variant":"control","unit":"u1","ts":"2026-11-01T10:00:00Z","latency_ms":86400000,"prompt_tokens":1000000000}""",
            """{"type":"completion","experiment":"e1","variant":"control","unit":"u2","ts":"2026-11-01T10:00:00Z","latency_ms":1,"prompt_tokens":9223372036854775807}""",
            """{"type":"completion","experiment":"e1","variant":"control","unit":"u3","ts":"2026-11-01T10:00:00Z","latency_ms":1e200}""",
            """{"type":"completion","experiment":"e1","variant":"control","unit":"u4","ts":"2026-11-01T10:00:00Z","latency_ms":86400000,"prompt_tokens":1000000000}""");

        var sut = EventFileReader.Read(Stream(text), new EventFileOptions(SkipInvalid: true));

        var variant = sut.Experiments.Single().Variants.Single();
        Assert.Equal((2L, 2L), (sut.Events, sut.SkippedLines));
        Assert.Equal(["prompt_tokens", "latency_ms"], sut.Errors.Select(e => e.Field));
        Assert.Equal((2_000_000_000L, 86_400_000.0), (variant.PromptTokens, variant.Latency.Mean));
    }

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));
}
