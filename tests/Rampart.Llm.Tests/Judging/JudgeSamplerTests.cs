using Rampart.Core.Experiments;
using Rampart.Llm.Judging;

namespace Rampart.Llm.Tests.Judging;

public sealed class JudgeSamplerTests
{
    [Fact]
    public void Sampled_2000CallsAtRate02_JudgedShareWithinFourBinomialSds()
    {
        var judge = new JudgeDefinition("helpfulness", "sim", "judge-sim", SampleRate: 0.2);

        var judged = Enumerable.Range(0, 2000).Count(i => JudgeSampler.Sampled($"req-{i}", judge));

        var sd = Math.Sqrt(2000 * 0.2 * 0.8);
        Assert.InRange(judged, 400 - (4 * sd), 400 + (4 * sd));
    }

    [Fact]
    public void Sampled_SameRequestAndJudge_SameDecisionAndOtherJudgesDecideIndependently()
    {
        var first = new JudgeDefinition("a", "sim", "judge-sim", SampleRate: 0.5);
        var second = first with { Name = "b" };
        var ids = Enumerable.Range(0, 1000).Select(i => $"req-{i}").ToList();

        var once = ids.Select(id => JudgeSampler.Sampled(id, first)).ToList();
        var again = ids.Select(id => JudgeSampler.Sampled(id, first)).ToList();
        var other = ids.Select(id => JudgeSampler.Sampled(id, second)).ToList();

        Assert.Equal(once, again);
        var agree = once.Zip(other).Count(p => p.First == p.Second);
        Assert.InRange(agree, 500 - (4 * Math.Sqrt(250)), 500 + (4 * Math.Sqrt(250)));
    }

    [Fact]
    public void Sampled_RateOne_EveryCall()
    {
        var judge = new JudgeDefinition("all", "sim", "judge-sim", SampleRate: 1);

        Assert.All(Enumerable.Range(0, 500), i => Assert.True(JudgeSampler.Sampled($"req-{i}", judge)));
    }
}
