using System.Collections.Concurrent;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Judging;

/// <summary>
/// The evaluator for each judge (docs/judges.md): a plugged-in one when <c>custom</c> gives one for the judge; else
/// <see cref="SimulatedJudge"/> for a simulated provider and <see cref="RubricJudge"/> over the configured provider
/// (<see cref="ProviderChatClient"/>) for any other. Thread-safe.
/// </summary>
public sealed class JudgeEvaluators
{
    private readonly ProviderRegistry providers;
    private readonly Func<JudgeDefinition, IEvaluator?>? custom;
    private readonly ConcurrentDictionary<string, ChatConfiguration> chats = new(StringComparer.Ordinal);

    /// <summary>Evaluators over <paramref name="providers"/>, with <paramref name="custom"/> asked first (null: none plugged in).</summary>
    public JudgeEvaluators(ProviderRegistry providers, Func<JudgeDefinition, IEvaluator?>? custom = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        this.providers = providers;
        this.custom = custom;
    }

    /// <summary>
    /// The evaluators plugged in through <paramref name="services"/>: an <see cref="IEvaluator"/> registered keyed by a
    /// judge's name, or else by its provider's name (docs/judges.md); null when <paramref name="services"/> has no keyed services.
    /// </summary>
    public static Func<JudgeDefinition, IEvaluator?>? Keyed(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services is IKeyedServiceProvider
            ? judge => services.GetKeyedService<IEvaluator>(judge.Name) ?? services.GetKeyedService<IEvaluator>(judge.Provider)
            : null;
    }

    /// <summary>The evaluator of <paramref name="judge"/> and the chat configuration it calls through; false with a reason when its provider is not configured.</summary>
    public bool TryGet(JudgeDefinition judge, out IEvaluator? evaluator, out ChatConfiguration? chat, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(judge);
        problem = null;
        var registered = providers.TryGet(judge.Provider, out var found) ? found : null;
        chat = registered is null ? null : chats.GetOrAdd(registered.Name, _ => new ChatConfiguration(new ProviderChatClient(registered)));
        evaluator = custom?.Invoke(judge);
        if (evaluator is not null)
        {
            return true;
        }

        if (registered is null)
        {
            problem = $"Judge '{judge.Name}' names provider '{judge.Provider}', which is not configured; add it to the configuration's providers.";
            return false;
        }

        evaluator = registered.Type == ProviderOptions.SimulatedType ? new SimulatedJudge(judge) : new RubricJudge(judge);
        return true;
    }
}
