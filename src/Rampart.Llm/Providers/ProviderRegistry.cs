using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rampart.Llm.Providers.Anthropic;
using Rampart.Llm.Providers.OpenAi;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Providers;

/// <summary>The configured providers by name. A provider named <c>sim</c> of type <c>simulated</c> is always there.</summary>
public sealed class ProviderRegistry
{
    private readonly FrozenDictionary<string, RegisteredProvider> providers;

    /// <summary>
    /// Builds every provider of <paramref name="options"/>; throws <see cref="OptionsValidationException"/> listing every
    /// problem when any entry is invalid. <paramref name="httpClientFor"/> gives the HttpClient for a provider's name (e.g.
    /// <c>name =&gt; factory.CreateClient("rampart." + name)</c>); its own timeout should be infinite, since each call has one.
    /// <paramref name="limits"/> bound what the HTTP providers hold of an answer (<see cref="UpstreamLimits.Default"/> when null).
    /// </summary>
    public ProviderRegistry(
        IEnumerable<KeyValuePair<string, ProviderOptions>> options,
        Func<string, HttpClient> httpClientFor,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        UpstreamLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFor);
        timeProvider ??= TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        var entries = options.ToList();
        var problems = Validate(entries);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException("providers", typeof(ProviderOptions), problems);
        }

        var built = new Dictionary<string, RegisteredProvider>(StringComparer.Ordinal);
        foreach (var (name, entry) in entries)
        {
            IChatProvider provider = entry.Type switch
            {
                ProviderOptions.OpenAiType => new OpenAiCompatibleProvider(httpClientFor(name), entry.ResolveEndpoint(name), timeProvider, loggerFactory.CreateLogger<OpenAiCompatibleProvider>(), limits),
                ProviderOptions.AnthropicType => new AnthropicProvider(httpClientFor(name), entry.ResolveEndpoint(name), timeProvider, loggerFactory.CreateLogger<AnthropicProvider>(), limits),
                _ => new SimulatedProvider(name, timeProvider, loggerFactory.CreateLogger<SimulatedProvider>()),
            };
            built[name] = new RegisteredProvider(name, entry.Type!, provider, entry.ResolveTimeout());
        }

        if (!built.ContainsKey(SimulatedProvider.DefaultName))
        {
            built[SimulatedProvider.DefaultName] = new RegisteredProvider(
                SimulatedProvider.DefaultName,
                ProviderOptions.SimulatedType,
                new SimulatedProvider(SimulatedProvider.DefaultName, timeProvider, loggerFactory.CreateLogger<SimulatedProvider>()),
                ProviderOptions.DefaultTimeout);
        }

        providers = built.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The providers' names.</summary>
    public IEnumerable<string> Names => providers.Keys;

    /// <summary>The provider called <paramref name="name"/>, or false when none is configured.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out RegisteredProvider? provider) => providers.TryGetValue(name, out provider);

    /// <summary>Every problem of the <c>providers</c> section, each naming its key; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<KeyValuePair<string, ProviderOptions>> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var (name, entry) in options)
        {
            if (entry is null)
            {
                problems.Add($"providers.{name} is empty; give it a type.");
                continue;
            }

            problems.AddRange(entry.Validate(name));
            if (name == SimulatedProvider.DefaultName && entry.Type is not (null or ProviderOptions.SimulatedType))
            {
                problems.Add($"providers.{name}.type must be '{ProviderOptions.SimulatedType}': the name '{name}' is kept for the built-in simulated provider.");
            }
        }

        return problems;
    }
}
