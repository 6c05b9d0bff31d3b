using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Judging;

public sealed class JudgeBudgetTests
{
    private static readonly JudgeDefinition Judge = new("helpfulness", "sim", "gpt-4o-mini", MaxCostUsdPerDay: 0.01);

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);

    [Fact]
    public void TryStart_SpentTheCap_RefusedAndCountedUntilTheNextUtcDay()
    {
        var sut = new JudgeBudget(time);
        sut.Add("exp", Judge, 0.006);
        Assert.True(sut.TryStart("exp", Judge));
        sut.Add("exp", Judge, 0.006);

        Assert.False(sut.TryStart("exp", Judge));
        Assert.False(sut.TryStart("exp", Judge));
        Assert.True(sut.TryStart("other-exp", Judge));
        Assert.Equal(2, sut.Skipped);

        time.SetUtcNow(new DateTimeOffset(SeedExperiment.Epoch.Date.AddDays(1), TimeSpan.Zero));
        Assert.True(sut.TryStart("exp", Judge));
        Assert.Equal(0, sut.SpentToday("exp", Judge.Name));
    }

    [Fact]
    public void TryStart_NoCap_AlwaysAllowed()
    {
        var sut = new JudgeBudget(time);
        var uncapped = Judge with { MaxCostUsdPerDay = null };
        sut.Add("exp", uncapped, 1000);

        Assert.True(sut.TryStart("exp", uncapped));
    }

    [Fact]
    public async Task Add_ConcurrentSpends_AllCounted()
    {
        var sut = new JudgeBudget(time);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                sut.Add("exp", Judge, 0.001);
            }
        })));

        Assert.Equal(8.0, sut.SpentToday("exp", Judge.Name), precision: 9);
    }
}
