using Microsoft.Extensions.Time.Testing;
using Rampart.Llm.Shadowing;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Shadowing;

public sealed class ShadowBudgetTests
{
    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);

    [Fact]
    public void Add_CostsSummingPastDoubleMax_RefusedUntilTheNextUtcDay()
    {
        // 1e308 + 1e308 is +infinity: not below the cap, so an overflowing sum refuses rather than reopens the budget.
        var sut = new ShadowBudget(time);

        sut.Add("exp", "variant_a", 1e308);
        sut.Add("exp", "variant_a", 1e308);
        var today = sut.TryStart("exp", "variant_a", 5, out _);
        time.Advance(TimeSpan.FromDays(1));
        var tomorrow = sut.TryStart("exp", "variant_a", 5, out _);

        Assert.Equal((false, true), (today, tomorrow));
    }

    [Fact]
    public void TryStart_SpentTheCap_RefusedUntilTheNextUtcDayFirstRefusalOncePerDay()
    {
        var sut = new ShadowBudget(time);
        sut.Add("exp", "variant_a", 0.006);
        Assert.True(sut.TryStart("exp", "variant_a", 0.01, out _));
        sut.Add("exp", "variant_a", 0.006);

        Assert.False(sut.TryStart("exp", "variant_a", 0.01, out var first));
        Assert.False(sut.TryStart("exp", "variant_a", 0.01, out var second));
        Assert.Equal((true, false), (first, second));
        Assert.True(sut.TryStart("exp", "variant_b", 0.01, out _));
        Assert.True(sut.TryStart("other-exp", "variant_a", 0.01, out _));

        time.SetUtcNow(new DateTimeOffset(SeedExperiment.Epoch.Date.AddDays(1), TimeSpan.Zero));
        Assert.True(sut.TryStart("exp", "variant_a", 0.01, out _));
        Assert.Equal(0, sut.SpentToday("exp", "variant_a"));
        sut.Add("exp", "variant_a", 0.02);
        Assert.False(sut.TryStart("exp", "variant_a", 0.01, out var nextDay));
        Assert.True(nextDay);
    }

    [Fact]
    public void TryStart_NoCap_AlwaysAllowed()
    {
        var sut = new ShadowBudget(time);
        sut.Add("exp", "variant_a", 1000);

        Assert.True(sut.TryStart("exp", "variant_a", null, out var first));
        Assert.False(first);
    }

    [Fact]
    public async Task Add_ConcurrentSpends_AllCounted()
    {
        var sut = new ShadowBudget(time);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                sut.Add("exp", "variant_a", 0.001);
            }
        })));

        Assert.Equal(8.0, sut.SpentToday("exp", "variant_a"), 9);
    }
}
