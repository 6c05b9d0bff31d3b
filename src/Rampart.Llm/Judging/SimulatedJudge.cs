using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Judging;

/// <summary>
/// The judge of provider <c>sim</c> (docs/judges.md): no network, deterministic. It rates the answer's simulated quality
/// <c>q</c> (from <see cref="SimulatedQualityContext"/>; a real provider's answer counts as the default
/// <see cref="SimulationOptions.Quality"/>, so the judge can stand in for a real one in load tests) as <c>round(min + (max − min) · (q + N(0, 0.15)))</c>, clamped to the
/// scale, the noise drawn by SplitMix64 from the hash of (request id, judge name), so a replay gives the same verdict. It
/// reports a fixed usage (<see cref="PromptTokens"/>, <see cref="CompletionTokens"/>), priced like any model's.
/// </summary>
public sealed class SimulatedJudge : IEvaluator
{
    /// <summary>The standard deviation of the noise added to the quality.</summary>
    public const double NoiseSigma = 0.15;

    /// <summary>The input tokens every simulated verdict reports.</summary>
    public const long PromptTokens = 400;

    /// <summary>The output tokens every simulated verdict reports.</summary>
    public const long CompletionTokens = 40;

    /// <summary>How much the simulated judge favours the answer shown first in a pairwise comparison (the order randomisation cancels it).</summary>
    public const double PositionBias = 0.05;

    /// <summary>Two answers whose seen qualities differ by less than this are a tie.</summary>
    public const double TieMargin = 0.02;

    private readonly JudgeDefinition judge;

    /// <summary>A simulated judge for <paramref name="judge"/>.</summary>
    public SimulatedJudge(JudgeDefinition judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        this.judge = judge;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames => [judge.ScoreName, judge.PreferenceScoreName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        NumericMetric metric;
        var pairwise = additionalContext?.OfType<PairwiseContext>().FirstOrDefault();
        if (additionalContext?.OfType<SimulatedQualityContext>().FirstOrDefault() is not { } context)
        {
            var message = $"Judge '{judge.Name}' of provider 'sim' needs a {nameof(SimulatedQualityContext)} (the request id seeds its noise).";
            metric = new NumericMetric(judge.ScoreName, value: null, reason: message);
            metric.AddDiagnostics(EvaluationDiagnostic.Error(message));
        }
        else if (pairwise is not null)
        {
            metric = new NumericMetric(judge.PreferenceScoreName, Preference(context, pairwise));
            JudgeMetadata.SetUsage(metric, 2 * PromptTokens, CompletionTokens);
        }
        else
        {
            metric = new NumericMetric(judge.ScoreName, Rating(context.Quality ?? SimulationOptions.Default.Quality, context.RequestId));
            JudgeMetadata.SetUsage(metric, PromptTokens, CompletionTokens);
        }

        return ValueTask.FromResult(new EvaluationResult(metric));
    }

    /// <summary>The rating of an answer of <paramref name="quality"/> in the call <paramref name="requestId"/>.</summary>
    public double Rating(double quality, string requestId)
    {
        var noisy = quality + (NoiseSigma * Deviation(requestId));
        return Math.Clamp(Math.Round(judge.ScaleMin + ((judge.ScaleMax - judge.ScaleMin) * noisy), MidpointRounding.AwayFromZero), judge.ScaleMin, judge.ScaleMax);
    }

    /// <summary>
    /// The preference for the shadow answer (<paramref name="shadow"/>) over the served one (<paramref name="pair"/>): each
    /// answer's quality as this judge sees it (its quality plus <see cref="NoiseSigma"/> times its <see cref="Deviation"/>),
    /// the one shown first favoured by <see cref="PositionBias"/>; 1 when the shadow's seen quality is higher by more than
    /// <see cref="TieMargin"/>, 0 when lower, else 0.5.
    /// </summary>
    public double Preference(SimulatedQualityContext shadow, PairwiseContext pair)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        ArgumentNullException.ThrowIfNull(pair);
        var seenShadow = (shadow.Quality ?? SimulationOptions.Default.Quality) + (NoiseSigma * Deviation(shadow.RequestId)) + (pair.ShadowFirst ? PositionBias : 0);
        var seenServed = (pair.OtherQuality ?? SimulationOptions.Default.Quality) + (NoiseSigma * Deviation(pair.PairId)) + (pair.ShadowFirst ? 0 : PositionBias);
        var difference = seenShadow - seenServed;
        return Math.Abs(difference) < TieMargin ? 0.5 : difference > 0 ? 1 : 0;
    }

    /// <summary>
    /// The standard-normal deviation of the answer <paramref name="requestId"/> from its variant's quality, as this judge sees
    /// it (the rating adds <see cref="NoiseSigma"/> times it): a simulation can let its users' feedback follow it too.
    /// </summary>
    public double Deviation(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        var random = new SplitMix64(JudgeSampler.Hash(requestId, judge.Name) ^ 0xD1B54A32D192ED03UL);
        return random.NextGaussian();
    }
}
