using Rampart.Analysis.Monitoring;
using Rampart.Core.Experiments;

namespace Rampart.Analysis.Tests.Monitoring;

public sealed class GuardrailEvaluatorTests(ITestOutputHelper output)
{
    private static readonly GuardrailOptions Options = new();

    [Fact]
    public void RestartAlphas_SumToTheRestartShare_SoTheTotalStaysWithinAlpha()
    {
        var sut = GuardrailTuning.Default;

        // Σ 6/(π²k²) = 1: the partial sum up to K falls short of it by about 6/(π²K).
        var restarts = 0.0;
        for (var k = 1; k <= 1_000_000; k++)
        {
            restarts += sut.RestartAlpha(k);
        }

        Assert.Equal(0.025, sut.WholeHistoryAlpha, 12);
        Assert.InRange(restarts, 0.025 - 2e-8, 0.025);
        Assert.Equal(0.025 * 6 / (Math.PI * Math.PI), sut.RestartAlpha(1), 15);
    }

    [Fact]
    public void Counter_LongRun_KeepsAtMostSegmentLengthRestartsEachStartingAtAMultipleOfK()
    {
        var sut = new GuardrailCounter();

        for (var i = 0; i < 100_000; i++)
        {
            sut.Add(failed: i % 50 == 0, latencyMs: 800);
        }

        Assert.Equal(100_000, sut.Whole.Requests);
        Assert.Equal(2_000, sut.Whole.Errors);
        Assert.Equal([198, 199], sut.Restarts.Select(s => s.Index));
        Assert.All(sut.Restarts, s => Assert.Equal(s.Index * 500, s.StartRequest));
        Assert.Equal([1_000, 500], sut.Restarts.Select(s => s.Requests));
    }

    [Fact]
    public void ErrorRateExactlyAtTheThreshold_CheckedEvery10Requests_FalseRollbackRateWithinAlpha()
    {
        // Direct simulation: Bernoulli(5%) failures, the guardrail (whole history + restarts) checked every 10 requests
        // from the 100th to the 20,000th. Validity is asymptotic, so allow three binomial standard errors over α.
        const int runs = 400;
        var random = new Random(20261127);
        var rejected = 0;
        var naive = 0;
        for (var run = 0; run < runs; run++)
        {
            var variant = new VariantSignalsBuilder("variant");
            var control = Healthy();
            bool breached = false, naiveBreached = false;
            for (var i = 1; i <= 20_000 && !breached; i++)
            {
                variant.Add(random.NextDouble() < 0.05, 800);
                if (i >= 100 && i % 10 == 0)
                {
                    breached = GuardrailEvaluator.Breach(variant.Signals, control, Options, GuardrailTuning.Default) is not null;
                    naiveBreached |= (double)variant.Signals.Errors / variant.Signals.Requests > 0.05;
                }
            }

            rejected += breached ? 1 : 0;
            naive += naiveBreached ? 1 : 0;
        }

        var share = (double)rejected / runs;
        output.WriteLine($"at 5% errors: the monitor rolls back in {rejected} of {runs} runs ({share:P1}); the point rule in {naive} ({(double)naive / runs:P1})");
        Assert.True(share <= 0.05 + (3 * Math.Sqrt(0.05 * 0.95 / runs)), $"false rollback rate {share:P1} at the threshold");
        Assert.True(naive > runs / 2, "the naive point rule should fire in most runs at the threshold");
    }

    [Theory]
    [InlineData(0.01, false)]
    [InlineData(0.20, true)]
    public void Breach_ClearRates_DecidedWithTheirMetrics(double rate, bool expected)
    {
        var random = new Random(3);
        var variant = new VariantSignalsBuilder("variant");
        for (var i = 0; i < 1_000; i++)
        {
            variant.Add(random.NextDouble() < rate, 800);
        }

        var sut = GuardrailEvaluator.Breach(variant.Signals, Healthy(), Options, GuardrailTuning.Default);

        Assert.Equal(expected, sut is not null);
        if (sut is not null)
        {
            Assert.Equal((MonitorActionKind.Rollback, "variant"), (sut.Kind, sut.Variant));
            Assert.True(sut.Metrics["statistic"] >= sut.Metrics["boundary"]);
            Assert.Equal(0.025, sut.Metrics["alpha"]);
            Assert.Contains("max_error_rate 5.00%", sut.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Breach_SlowVariant_RolledBackOnTheLatencyGuardrail()
    {
        var random = new Random(4);
        var variant = new VariantSignalsBuilder("variant");
        for (var i = 0; i < 400; i++)
        {
            variant.Add(false, 2_000 * Math.Exp(0.4 * Gaussian(random)));
        }

        var sut = GuardrailEvaluator.Breach(variant.Signals, Healthy(), Options, GuardrailTuning.Default);

        Assert.NotNull(sut);
        Assert.Contains("slower than 1.5 × the control's p95", sut.Reason, StringComparison.Ordinal);
        Assert.True(sut.Metrics["slow_share"] > 0.05);
    }

    private static VariantSignals Healthy()
    {
        var random = new Random(1);
        var control = new VariantSignalsBuilder("control");
        for (var i = 0; i < 5_000; i++)
        {
            control.Add(random.NextDouble() < 0.01, 800 * Math.Exp(0.4 * Gaussian(random)));
        }

        return control.Signals;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
