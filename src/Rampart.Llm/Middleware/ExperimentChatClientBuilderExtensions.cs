using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Core.Events;
using Rampart.Llm.Pricing;

namespace Rampart.Llm.Middleware;

/// <summary>Adds <see cref="ExperimentChatClient"/> to a chat client pipeline.</summary>
public static class ExperimentChatClientBuilderExtensions
{
    /// <summary>
    /// Runs the experiment <paramref name="experimentKey"/> on every call through the pipeline. The snapshot and event sink
    /// come from the arguments or else from the pipeline's services (<c>AddRampart</c> registers a snapshot; the app
    /// registers an <see cref="IEventSink"/>), as do the <see cref="CostEstimator"/>, <see cref="TimeProvider"/> and logging.
    /// </summary>
    public static ChatClientBuilder UseRampartExperiment(
        this ChatClientBuilder builder,
        string experimentKey,
        IExperimentSnapshot? snapshot = null,
        IEventSink? eventSink = null,
        Action<ExperimentChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentKey);
        return builder.Use((innerClient, services) =>
        {
            var client = new ExperimentChatClient(
                innerClient,
                experimentKey,
                snapshot ?? services.GetService<IExperimentSnapshot>() ?? throw Missing(nameof(IExperimentSnapshot), "call services.AddRampart() with an IExperimentStore registered"),
                eventSink ?? services.GetService<IEventSink>() ?? throw Missing(nameof(IEventSink), "register the event writer as IEventSink"),
                services.GetService<CostEstimator>(),
                services.GetService<TimeProvider>(),
                services.GetService<ILoggerFactory>()?.CreateLogger<ExperimentChatClient>());
            configure?.Invoke(client);
            return client;
        });
    }

    private static InvalidOperationException Missing(string service, string fix) =>
        new($"UseRampartExperiment needs an {service}: pass one, or {fix}.");
}
