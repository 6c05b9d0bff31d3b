using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Server.Configuration;
using Rampart.Server.Telemetry;

namespace Rampart.Server.Judging;

/// <summary>
/// The judges (docs/judges.md): the <c>judges</c> options, the bounded queue the call recorder offers sampled calls to, the
/// budget, the runner and its evaluators. An <see cref="IEvaluator"/> registered keyed by a judge's name, or else by its
/// provider's name, replaces the built-in one for that judge.
/// </summary>
internal static class JudgeServices
{
    /// <summary>Adds the judges' services (each a <c>TryAdd</c>); the worker is hosted by the caller.</summary>
    public static IServiceCollection AddRampartJudges(this IServiceCollection services)
    {
        services.AddSettings<JudgeOptions, JudgeOptionsSetup>();
        services.TryAddSingleton(sp => new JudgeMetrics(sp.GetRequiredService<IMeterFactory>().Create(RampartTelemetry.MeterName)));
        services.TryAddSingleton(sp => new BoundedJudgeBacklog(sp.GetRequiredService<IOptions<JudgeOptions>>().Value, sp.GetRequiredService<JudgeMetrics>()));
        services.TryAddSingleton<IJudgeBacklog>(sp => sp.GetRequiredService<BoundedJudgeBacklog>());
        // Fed by the results follower with every stored verdict (EventFollower), so the cap holds across servers and restarts.
        services.TryAddSingleton(sp => new JudgeBudget(sp.GetRequiredService<TimeProvider>(), JudgeBudget.DefaultPendingFor));
        services.TryAddSingleton(sp => new JudgeEvaluators(
            sp.GetRequiredService<ProviderRegistry>(),
            JudgeEvaluators.Keyed(sp)));
        services.TryAddSingleton(sp => new JudgeRunner(
            sp.GetRequiredService<JudgeEvaluators>(),
            sp.GetRequiredService<CostEstimator>(),
            sp.GetRequiredService<JudgeBudget>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<JudgeOptions>>().Value.Timeout));
        services.TryAddSingleton<JudgeWorker>();
        return services;
    }
}
