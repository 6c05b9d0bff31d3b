using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rampart.Core.Events;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Middleware;

/// <summary>Adds <see cref="ExperimentChatClient"/> to a chat client pipeline.</summary>
public static class ExperimentChatClientBuilderExtensions
{
    /// <summary>
    /// Runs the experiment <paramref name="experimentKey"/> on every call through the pipeline. The snapshot and event sink
    /// come from the arguments or else from the pipeline's services (<c>AddRampart</c> registers a snapshot; the app
    /// registers an <see cref="IEventSink"/>), as do the <see cref="CostEstimator"/>, <see cref="TimeProvider"/> and logging.
    /// The judge backlog (docs/judges.md) is <paramref name="judgeBacklog"/>, else a registered <see cref="IJudgeBacklog"/>,
    /// else an <see cref="InProcessJudgeBacklog"/> of the client's, disposed with it, over the services' <see cref="ProviderRegistry"/>
    /// (the simulated provider only without one), the <c>IEvaluator</c>s registered keyed by a judge's or provider's
    /// name, the <see cref="JudgeOptions"/> and the <see cref="IMeterFactory"/>.
    /// </summary>
    public static ChatClientBuilder UseRampartExperiment(
        this ChatClientBuilder builder,
        string experimentKey,
        IExperimentSnapshot? snapshot = null,
        IEventSink? eventSink = null,
        Action<ExperimentChatClient>? configure = null,
        IJudgeBacklog? judgeBacklog = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentKey);
        return builder.Use((innerClient, services) =>
        {
            var sink = eventSink ?? services.GetService<IEventSink>() ?? throw Missing(nameof(IEventSink), "register the event writer as IEventSink");
            var costs = services.GetService<CostEstimator>();
            var time = services.GetService<TimeProvider>();
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger<ExperimentChatClient>();
            var backlog = judgeBacklog ?? services.GetService<IJudgeBacklog>();
            var client = new ExperimentChatClient(
                innerClient,
                experimentKey,
                snapshot ?? services.GetService<IExperimentSnapshot>() ?? throw Missing(nameof(IExperimentSnapshot), "call services.AddRampart() with an IExperimentStore registered"),
                sink,
                costs,
                time,
                logger,
                backlog,
                backlog is null ? OwnJudges(services, sink, costs, time, logger) : null);
            configure?.Invoke(client);
            return client;
        });
    }

    private static InProcessJudgeBacklog OwnJudges(IServiceProvider services, IEventSink sink, CostEstimator? costs, TimeProvider? time, ILogger? logger) => new(
        sink,
        services.GetService<ProviderRegistry>(),
        JudgeEvaluators.Keyed(services),
        services.GetService<IOptions<JudgeOptions>>()?.Value,
        costs,
        time,
        services.GetService<IMeterFactory>(),
        logger);

    private static InvalidOperationException Missing(string service, string fix) =>
        new($"UseRampartExperiment needs an {service}: pass one, or {fix}.");
}
