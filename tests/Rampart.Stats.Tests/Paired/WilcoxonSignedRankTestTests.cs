using FsCheck.Xunit;
using Rampart.Stats.Paired;

namespace Rampart.Stats.Tests.Paired;

public class WilcoxonSignedRankTestTests
{
    [Fact]
    public void Compare_SmallWithoutTies_ExactAsSciPyAuto()
    {
        var sut = WilcoxonSignedRankTest.Compare(ReferenceData.ControlLatencies, ReferenceData.ShadowLatencies);

        // scipy.stats.wilcoxon(s, a) -> statistic=34.0, pvalue=0.7333984375 (method='auto': exact, n = 12)
        Assert.True(sut.IsExact);
        Assert.Equal(34.0, sut.Statistic);
        AssertClose.PValue(0.7333984375, sut.PValue);
        // scipy.stats.wilcoxon(s, a, method='approx').zstatistic = -0.3922322702763681 (SciPy's z uses min(W⁺, W⁻); here W⁺ > W⁻)
        AssertClose.Relative(0.3922322702763681, sut.Z);
        Assert.Equal(12, sut.NonZeroPairs);
        Assert.Null(sut.Reason);
    }

    [Fact]
    public void Compare_FortyPairs_ExactAsSciPyAuto()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = WilcoxonSignedRankTest.Compare(control.AsSpan(0, 40), shadow.AsSpan(0, 40));

        // scipy.stats.wilcoxon(y[:40], x[:40]) -> 272.0, 0.06414752090131515 (method='approx' would give 0.0636106467276566)
        Assert.True(sut.IsExact);
        Assert.Equal(272.0, sut.Statistic);
        AssertClose.PValue(0.06414752090131515, sut.PValue);
    }

    [Fact]
    public void Compare_FiftyOnePairs_NormalApproximationAsSciPyAuto()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = WilcoxonSignedRankTest.Compare(control.AsSpan(0, 51), shadow.AsSpan(0, 51));

        // scipy.stats.wilcoxon(y[:51], x[:51]) -> 355.0, 0.003888998729613015
        Assert.False(sut.IsExact);
        Assert.Equal(355.0, sut.Statistic);
        AssertClose.PValue(0.003888998729613015, sut.PValue);
    }

    [Fact]
    public void Compare_ZerosAndTies_DropsZerosAndCorrectsForTies()
    {
        double[] control = [100, 120, 130, 150, 160, 170, 180, 200, 210, 220];
        double[] shadow = [110, 120, 125, 160, 150, 190, 175, 210, 230, 220];

        var sut = WilcoxonSignedRankTest.Compare(control, shadow);

        // scipy.stats.wilcoxon(ts, tc) -> 7.5, 0.1355930012663022 (auto switches to approx with zeros); zstatistic -1.492405014489273
        Assert.False(sut.IsExact);
        Assert.Equal(8, sut.NonZeroPairs);
        Assert.Equal(7.5, sut.Statistic);
        AssertClose.PValue(0.1355930012663022, sut.PValue);
        AssertClose.Relative(1.492405014489273, sut.Z);
    }

    [Fact]
    public void Compare_TiesWithoutZeros_NormalApproximationAsMethodApprox()
    {
        double[] control = [100, 120, 130, 150, 160, 170, 180, 200];
        double[] shadow = [110, 135, 125, 160, 150, 190, 175, 215];

        var sut = WilcoxonSignedRankTest.Compare(control, shadow);

        // scipy.stats.wilcoxon(ns, nc, method='approx') -> 7.0, 0.12071957526500347, zstatistic -1.551760354888916
        // (SciPy 1.10's 'auto' runs its exact table on tied ranks; newer SciPy switches to the approximation as we do)
        Assert.False(sut.IsExact);
        Assert.Equal(7.0, sut.Statistic);
        AssertClose.PValue(0.12071957526500347, sut.PValue);
    }

    [Fact]
    public void Compare_LargeSkewed_MatchesSciPy()
    {
        var (control, shadow) = ReferenceData.LcgPaired();

        var sut = WilcoxonSignedRankTest.Compare(control, shadow);

        // scipy.stats.wilcoxon(y, x) -> 11777.0, 6.934658266954943e-13; zstatistic -7.180717360353135
        Assert.Equal(11777.0, sut.Statistic);
        AssertClose.Relative(6.934658266954943e-13, sut.PValue);
        AssertClose.Relative(7.180717360353135, sut.Z);
    }

    [Fact]
    public void Compare_LargeWholeNumbers_MatchesSciPyWithTiesAndZeros()
    {
        var (control, shadow) = ReferenceData.LcgPairedWhole();

        var sut = WilcoxonSignedRankTest.Compare(control, shadow);

        // scipy.stats.wilcoxon(yi, xi) -> 11204.5, 6.847492877742156e-13; zstatistic -7.182446363807114
        Assert.Equal(294, sut.NonZeroPairs);
        Assert.Equal(11204.5, sut.Statistic);
        AssertClose.Relative(6.847492877742156e-13, sut.PValue);
        AssertClose.Relative(7.182446363807114, sut.Z);
    }

    [Fact]
    public void Compare_AllDifferencesZero_NullsWithReason()
    {
        var sut = WilcoxonSignedRankTest.Compare([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]);

        Assert.Null(sut.PValue);
        Assert.Null(sut.Statistic);
        Assert.Equal("every difference is zero", sut.Reason);
    }

    [Fact]
    public void Compare_NoPairs_NullsWithReason()
    {
        var sut = WilcoxonSignedRankTest.Compare([], []);

        Assert.Null(sut.PValue);
        Assert.Equal("no pairs", sut.Reason);
    }

    [Property]
    public bool Compare_SwappingTheVariants_SamePValueAndOppositeZ(int seed, byte count)
    {
        var random = new Lcg((ulong)seed);
        var control = random.Take(count % 80).Select(u => seed % 2 == 0 ? Math.Floor(u * 20) : u).ToArray();
        var shadow = random.Take(control.Length).Select(u => seed % 2 == 0 ? Math.Floor(u * 20) : u).ToArray();

        var forward = WilcoxonSignedRankTest.Compare(control, shadow);
        var backward = WilcoxonSignedRankTest.Compare(shadow, control);

        return forward.PValue is null
            ? backward.PValue is null
            : Math.Abs(forward.PValue.Value - backward.PValue!.Value) < 1e-12 && forward.Z == -backward.Z && forward.PValue <= 1;
    }
}
