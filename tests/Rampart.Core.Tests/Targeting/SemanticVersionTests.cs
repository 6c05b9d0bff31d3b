using Rampart.Core.Targeting;

namespace Rampart.Core.Tests.Targeting;

public sealed class SemanticVersionTests
{
    // semver.org §11's example, in ascending precedence, plus a leading v and build metadata.
    private static readonly string[] Ascending =
    [
        "1.0.0-alpha", "v1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1+build.5", "1.0.0", "1.0.1", "V2",
    ];

    [Fact]
    public void CompareTo_SemverOrgExample_IsAscending()
    {
        for (var i = 0; i < Ascending.Length; i++)
        {
            for (var j = 0; j < Ascending.Length; j++)
            {
                Assert.True(SemanticVersion.TryParse(Ascending[i], out var left));
                Assert.True(SemanticVersion.TryParse(Ascending[j], out var right));
                Assert.Equal(i.CompareTo(j), Math.Sign(left.CompareTo(right)));
            }
        }
    }

    [Theory]
    [InlineData("1.0.0-rc.01", "1.0.0-rc.1")]
    [InlineData("v1.0-beta", "1.0.0-beta+exp.sha.5114f85")]
    public void Equals_SamePrecedence_EqualWithEqualHash(string a, string b)
    {
        Assert.True(SemanticVersion.TryParse(a, out var left));
        Assert.True(SemanticVersion.TryParse(b, out var right));
        Assert.True(left == right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Theory]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0-rc..1")]
    [InlineData("1.0.0-rc.")]
    [InlineData("99999999999999999999.0.0")]
    [InlineData("1.2.3.4")]
    public void TryParse_NotAVersion_False(string text)
    {
        Assert.False(SemanticVersion.TryParse(text, out _));
    }

    [Fact]
    public void Matches_PrereleaseUnitVersion_AllocatesNothing()
    {
        // TargetingCondition.Matches runs inside ExperimentAssigner.Assign, which must not allocate; it parses the unit's version each time.
        var sut = TargetingJson.Parse("""{"all": [{"attribute": "app", "semver_gte": "2.4.0-beta.2"}]}""");
        var attributes = UnitAttributes.From([new("app", AttributeValue.Of("2.4.0-beta.11"))]);
        Assert.True(sut.Matches(attributes));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            sut.Matches(attributes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
