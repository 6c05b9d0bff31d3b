using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Llm.Judging;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Judging;

public sealed class JudgeBudgetTests
{
    private static readonly JudgeDefinition Judge = new("helpfulness", "sim", "gpt-4o-mini", MaxCostUsdPerDay: 0.01);

    private readonly FakeTimeProvider time = new(SeedExperiment.Epoch);

    [Fact]
    public void Add_CostsSummingPastDoubleMax_BudgetSpentNotReopened()
    {
        // 1e308 + 1e308 is +infinity: still not below the cap, so an overflowing sum refuses rather than reopens the budget.
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));

        sut.Add("exp", Judge, 1e308, "judge_helpfulness:req-1");
        sut.Add("exp", Judge, 1e308, "judge_helpfulness:req-2");
        sut.Add("exp", Judge, 1e308);

        Assert.Equal((double.PositiveInfinity, false), (sut.SpentToday("exp", "helpfulness"), sut.TryStart("exp", Judge)));
    }

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

    [Fact]
    public void OnStored_TheEventOfAPendingVerdict_CountsItOnce()
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));
        sut.Add("exp", Judge, 0.004, "judge_helpfulness:req-1");
        Assert.Equal((0.004, 1), (sut.SpentToday("exp", Judge.Name), sut.PendingCount));

        sut.OnStored(Verdict("req-1", 0.004));
        sut.OnStored(Verdict("req-2", 0.003)); // another server's

        Assert.Equal((0.007, 0), (sut.SpentToday("exp", Judge.Name), sut.PendingCount), new SpendComparer());
    }

    [Fact]
    public void OnStored_StoredAndPendingTogetherReachTheCap_Refused()
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));
        sut.OnStored(Verdict("req-1", 0.006));
        Assert.True(sut.TryStart("exp", Judge));

        sut.Add("exp", Judge, 0.005, "judge_helpfulness:req-2");

        Assert.False(sut.TryStart("exp", Judge));
    }

    [Fact]
    public void AddSettled_WhatAnotherBudgetSettled_CountsTheSameTodayAndNotAPastDay()
    {
        var written = new JudgeBudget(time, TimeSpan.FromMinutes(5));
        written.OnStored(Verdict("req-1", 0.004));
        written.OnStored(Verdict("req-2", 0.002));
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));

        foreach (var (experiment, judge, day, settled) in written.SettledSpend())
        {
            sut.AddSettled(experiment, judge, day, settled);
        }

        sut.AddSettled("exp", Judge.Name, DateOnly.FromDateTime(SeedExperiment.Epoch.AddDays(-1).UtcDateTime), 5);
        sut.AddSettled("exp", Judge.Name, DateOnly.FromDateTime(SeedExperiment.Epoch.UtcDateTime), double.NaN);
        Assert.Equal(0.006, sut.SpentToday("exp", Judge.Name), precision: 9);
    }

    [Fact]
    public void OnStored_VerdictsOfPastDays_DoNotCount()
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));

        sut.OnStored(Verdict("req-1", 5, SeedExperiment.Epoch.AddDays(-1)));
        sut.OnStored(Verdict("req-2", 5, SeedExperiment.Epoch.AddDays(-400)));

        Assert.Equal(0, sut.SpentToday("exp", Judge.Name));
        Assert.True(sut.TryStart("exp", Judge));
    }

    [Fact]
    public void OnStored_VerdictOfYesterdayAtMidnight_StopsCounting()
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));
        sut.OnStored(Verdict("req-1", 0.02));
        Assert.False(sut.TryStart("exp", Judge));

        time.SetUtcNow(new DateTimeOffset(SeedExperiment.Epoch.UtcDateTime.Date.AddDays(1), TimeSpan.Zero));

        Assert.True(sut.TryStart("exp", Judge));
    }

    [Theory]
    [InlineData("user", "judge_helpfulness", 1.0)]
    [InlineData("judge", "helpfulness", 1.0)]
    [InlineData("judge", "judge_helpfulness", 0.0)]
    [InlineData("judge", "judge_helpfulness", double.NaN)]
    public void OnStored_NotAJudgesCostedVerdict_Ignored(string source, string score, double cost)
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));

        sut.OnStored(Verdict("req-1", cost) with { Source = source, Score = score });

        Assert.Equal(0, sut.SpentToday("exp", Judge.Name));
    }

    [Fact]
    public void Add_PendingNeverReadBack_DroppedAfterPendingFor()
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));
        sut.Add("exp", Judge, 0.02, "judge_helpfulness:req-1");
        Assert.False(sut.TryStart("exp", Judge));

        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.Equal((0.0, 0), (sut.SpentToday("exp", Judge.Name), sut.PendingCount));
        // Read back late, it counts once, as stored.
        sut.OnStored(Verdict("req-1", 0.02));
        Assert.Equal(0.02, sut.SpentToday("exp", Judge.Name));
    }

    [Fact]
    public void Add_PendingOfYesterday_DroppedAtMidnight()
    {
        time.SetUtcNow(new DateTimeOffset(SeedExperiment.Epoch.UtcDateTime.Date.AddDays(1).AddSeconds(-10), TimeSpan.Zero));
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));
        sut.Add("exp", Judge, 0.02, "judge_helpfulness:req-1");

        time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal((0.0, 0), (sut.SpentToday("exp", Judge.Name), sut.PendingCount));
    }

    [Fact]
    public void Add_ManyVerdictsNeverReadBack_PendingHoldsOnlyThoseOfTheLastPendingFor()
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));

        for (var i = 0; i < 10_000; i++)
        {
            sut.Add("exp", Judge with { MaxCostUsdPerDay = null }, 0.001, $"judge_helpfulness:req-{i}");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(sut.PendingCount, 299, 301);
        Assert.Equal(sut.PendingCount * 0.001, sut.SpentToday("exp", Judge.Name), precision: 9);
    }

    [Fact]
    public void Add_WithAnIdButNoStore_CountsForTheDay()
    {
        var sut = new JudgeBudget(time);
        sut.Add("exp", Judge, 0.02, "judge_helpfulness:req-1");

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal((0.02, 0), (sut.SpentToday("exp", Judge.Name), sut.PendingCount));
    }

    [Fact]
    public void OnStored_BudgetOfThisProcessAlone_IgnoresTheStoreSoItsOwnVerdictCountsOnce()
    {
        var sut = new JudgeBudget(time);
        sut.Add("exp", Judge, 0.004, "judge_helpfulness:req-1");

        sut.OnStored(Verdict("req-1", 0.004));

        Assert.Equal(0.004, sut.SpentToday("exp", Judge.Name));
    }

    [Fact]
    public void Add_TheSameIdTwice_BothCostsCountAndTheStoredCopyOnce()
    {
        var sut = new JudgeBudget(time, TimeSpan.FromMinutes(5));
        sut.Add("exp", Judge, 0.002, "judge_helpfulness:req-1");
        sut.Add("exp", Judge, 0.002, "judge_helpfulness:req-1");

        sut.OnStored(Verdict("req-1", 0.002));

        Assert.Equal(0.004, sut.SpentToday("exp", Judge.Name), precision: 12);
    }

    private ExperimentEvent Verdict(string requestId, double costUsd, DateTimeOffset? ts = null) => new()
    {
        Type = EventType.Feedback,
        Experiment = "exp",
        Variant = "control",
        Unit = "u-1",
        RequestId = requestId,
        Score = Judge.ScoreName,
        Value = 0.5,
        Source = JudgeDefinition.Source,
        Model = Judge.Model,
        CostUsd = costUsd,
        Id = $"{Judge.ScoreName}:{requestId}",
        Ts = ts ?? time.GetUtcNow(),
    };

    private sealed class SpendComparer : IEqualityComparer<(double Usd, int Pending)>
    {
        public bool Equals((double Usd, int Pending) x, (double Usd, int Pending) y) => Math.Abs(x.Usd - y.Usd) < 1e-12 && x.Pending == y.Pending;

        public int GetHashCode((double Usd, int Pending) obj) => obj.Pending;
    }
}
