using Rampart.Core.Experiments;

namespace Rampart.Core.Tests.Experiments;

public sealed class SegmentDropFormatTests
{
    private const string Head = """
        {"key":"k","control":"a","variants":{"a":{"provider":"sim","model":"m"},"b":{"provider":"sim","model":"m"}},
         "stages":[{"weights":{"a":50,"b":50}}],"segments":["country"]
        """;

    [Fact]
    public void Parse_MaxSegmentDrop_ReadsAndWritesItBack()
    {
        var sut = ExperimentDefinitionJson.Parse(Head + ""","promotion":{"max_segment_drop":0.05}}""");

        Assert.Equal(0.05, sut.Promotion.MaxSegmentDrop);
        var json = ExperimentDefinitionJson.Write(sut);
        Assert.Contains("\"max_segment_drop\": 0.05", json, StringComparison.Ordinal);
        Assert.Equal(0.05, ExperimentDefinitionJson.Parse(json).Promotion.MaxSegmentDrop);
    }

    [Fact]
    public void Parse_NoMaxSegmentDrop_IsNullAndNotWritten()
    {
        var sut = ExperimentDefinitionJson.Parse(Head + "}");

        Assert.Null(sut.Promotion.MaxSegmentDrop);
        Assert.DoesNotContain("max_segment_drop", ExperimentDefinitionJson.Write(sut), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.1")]
    [InlineData("\"0.1\"")]
    public void Parse_BadMaxSegmentDrop_NamesTheField(string value)
    {
        var ex = Assert.Throws<ExperimentValidationException>(() => ExperimentDefinitionJson.Parse(Head + ",\"promotion\":{\"max_segment_drop\":" + value + "}}"));

        Assert.Contains(ex.Problems, p => p.StartsWith("promotion.max_segment_drop must be a number above 0", StringComparison.Ordinal));
    }
}
