using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Providers;

/// <summary>One entry of the configuration's <c>providers</c> section (docs/providers.md, docs/api.md), bindable from configuration and JSON.</summary>
public sealed partial class ProviderOptions
{
    /// <summary>The <c>type</c> of an OpenAI-compatible provider.</summary>
    public const string OpenAiType = "openai";

    /// <summary>The <c>type</c> of an Anthropic Messages API provider.</summary>
    public const string AnthropicType = "anthropic";

    /// <summary>The <c>type</c> of the built-in simulated provider.</summary>
    public const string SimulatedType = "simulated";

    /// <summary>The base URL of an <c>openai</c> provider that names none.</summary>
    public static readonly Uri DefaultOpenAiBaseUrl = new("https://api.openai.com/v1");

    /// <summary>The base URL of an <c>anthropic</c> provider that names none.</summary>
    public static readonly Uri DefaultAnthropicBaseUrl = new("https://api.anthropic.com");

    /// <summary>The timeout when none is given: 60 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The longest <see cref="Timeout"/>: one day.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary><c>openai</c>, <c>anthropic</c> or <c>simulated</c>.</summary>
    [JsonPropertyName("type")]
    [ConfigurationKeyName("type")]
    public string? Type { get; set; }

    /// <summary>The API's base URL.</summary>
    /// <value>Default: https://api.openai.com/v1 for openai, https://api.anthropic.com for anthropic.</value>
    [JsonPropertyName("base_url")]
    [ConfigurationKeyName("base_url")]
    public string? BaseUrl { get; set; }

    /// <summary>The environment variable holding the API key; none sends no key.</summary>
    [JsonPropertyName("api_key_env")]
    [ConfigurationKeyName("api_key_env")]
    public string? ApiKeyEnv { get; set; }

    /// <summary>How long a call may wait for the upstream, as a duration (<c>30s</c>, <c>2m</c>; at most <c>1d</c>); between stream chunks too.</summary>
    /// <value>Default: 60s.</value>
    [JsonPropertyName("timeout")]
    [ConfigurationKeyName("timeout")]
    public string? Timeout { get; set; }

    /// <summary>Every problem with this entry, each naming its key (<c>providers.openai.base_url …</c>); empty when valid.</summary>
    public IReadOnlyList<string> Validate(string name)
    {
        var problems = new List<string>();
        var path = $"providers.{name}";
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("providers has an entry with an empty name; name every provider.");
        }

        if (Type is not (OpenAiType or AnthropicType or SimulatedType))
        {
            problems.Add($"{path}.type must be one of '{OpenAiType}', '{AnthropicType}', '{SimulatedType}'; got {Quoted(Type)}.");
        }

        if (BaseUrl is not null && !IsHttpUrl(BaseUrl))
        {
            problems.Add($"{path}.base_url must be an absolute http(s) URL; got {Quoted(BaseUrl)}.");
        }

        if (ApiKeyEnv is not null && !EnvironmentVariableName().IsMatch(ApiKeyEnv))
        {
            problems.Add($"{path}.api_key_env must name an environment variable (letters, digits, underscores), not hold the key itself.");
        }

        // At most a day, the longest latency an event holds: a longer wait (weeks) is more than a timer takes, and failed every call.
        if (Timeout is not null && (!DurationText.TryParse(Timeout, out var timeout) || timeout > MaxTimeout))
        {
            problems.Add($"{path}.timeout must be a duration such as '30s' or '2m'{(timeout > MaxTimeout ? ", at most 1d" : "")}; got {Quoted(Timeout)}.");
        }

        return problems;
    }

    /// <summary>The timeout given, or <see cref="DefaultTimeout"/>.</summary>
    public TimeSpan ResolveTimeout() => DurationText.TryParse(Timeout, out var timeout) ? timeout : DefaultTimeout;

    /// <summary>Where an HTTP provider of this entry sends its calls (the type's default base URL when none is given).</summary>
    public ProviderEndpoint ResolveEndpoint(string name)
    {
        var baseUrl = BaseUrl is not null ? new Uri(BaseUrl) : Type == AnthropicType ? DefaultAnthropicBaseUrl : DefaultOpenAiBaseUrl;
        return new ProviderEndpoint(name, baseUrl, ApiKeyEnv);
    }

    // Never echo api_key_env's value: someone may have pasted the key itself there.
    private static string Quoted(string? value) => value is null ? "nothing" : $"'{value}'";

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex EnvironmentVariableName();
}
