using Microsoft.Extensions.Options;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Anthropic;
using Rampart.Llm.Providers.OpenAi;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Tests.Providers;

public sealed class ProviderRegistryTests : IDisposable
{
    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Fact]
    public void Constructor_DesignExample_BuildsEachTypeWithItsTimeout()
    {
        var sut = new ProviderRegistry(
            new Dictionary<string, ProviderOptions>
            {
                ["openai"] = new() { Type = "openai", BaseUrl = "https://api.openai.com/v1", ApiKeyEnv = "OPENAI_API_KEY", Timeout = "30s" },
                ["anthropic"] = new() { Type = "anthropic", BaseUrl = "https://api.anthropic.com", ApiKeyEnv = "ANTHROPIC_API_KEY" },
                ["local"] = new() { Type = "openai", BaseUrl = "http://127.0.0.1:8000/v1" },
            },
            _ => http);

        Assert.True(sut.TryGet("openai", out var openai));
        Assert.IsType<OpenAiCompatibleProvider>(openai.Provider);
        Assert.Equal(TimeSpan.FromSeconds(30), openai.Timeout);
        Assert.True(sut.TryGet("anthropic", out var anthropic));
        Assert.IsType<AnthropicProvider>(anthropic.Provider);
        Assert.Equal(ProviderOptions.DefaultTimeout, anthropic.Timeout);
        Assert.Equal(["anthropic", "local", "openai", "sim"], sut.Names.Order());
        Assert.False(sut.TryGet("missing", out _));
    }

    [Fact]
    public void Constructor_NoProviders_StillHasSim()
    {
        var sut = new ProviderRegistry([], _ => http);

        Assert.True(sut.TryGet("sim", out var sim));
        Assert.Equal(("simulated", typeof(SimulatedProvider)), (sim.Type, sim.Provider.GetType()));
    }

    [Fact]
    public void Constructor_InvalidEntries_ThrowsListingEveryProblemByKey()
    {
        var options = new Dictionary<string, ProviderOptions>
        {
            ["openai"] = new() { Type = "openai", BaseUrl = "api.openai.com", ApiKeyEnv = "sk-proj-abc123", Timeout = "soon" },
            ["other"] = new() { Type = "gemini" },
            ["sim"] = new() { Type = "openai" },
        };

        var sut = Assert.Throws<OptionsValidationException>(() => new ProviderRegistry(options, _ => http));

        Assert.Equal(
            [
                "providers.openai.base_url must be an absolute http(s) URL; got 'api.openai.com'.",
                "providers.openai.api_key_env must name an environment variable (letters, digits, underscores), not hold the key itself.",
                "providers.openai.timeout must be a duration such as '30s' or '2m'; got 'soon'.",
                "providers.other.type must be one of 'openai', 'anthropic', 'simulated'; got 'gemini'.",
                "providers.sim.type must be 'simulated': the name 'sim' is kept for the built-in simulated provider.",
            ],
            sut.Failures);
        Assert.DoesNotContain("sk-proj-abc123", sut.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2d")]
    [InlineData("100d")]
    public void Constructor_TimeoutOverADay_ThrowsNamingIt(string timeout)
    {
        var options = new Dictionary<string, ProviderOptions> { ["openai"] = new() { Type = "openai", Timeout = timeout } };

        var sut = Assert.Throws<OptionsValidationException>(() => new ProviderRegistry(options, _ => http));

        Assert.Equal([$"providers.openai.timeout must be a duration such as '30s' or '2m', at most 1d; got '{timeout}'."], sut.Failures);
    }

    [Fact]
    public void Constructor_TimeoutOfADay_Kept()
    {
        var sut = new ProviderRegistry(new Dictionary<string, ProviderOptions> { ["openai"] = new() { Type = "openai", Timeout = "24h" } }, _ => http);

        Assert.True(sut.TryGet("openai", out var openai));
        Assert.Equal(TimeSpan.FromDays(1), openai.Timeout);
    }

    [Theory]
    [InlineData("https://api.openai.com/v1", "chat/completions", "https://api.openai.com/v1/chat/completions")]
    [InlineData("https://api.openai.com/v1/", "chat/completions", "https://api.openai.com/v1/chat/completions")]
    [InlineData("https://api.anthropic.com", "v1/messages", "https://api.anthropic.com/v1/messages")]
    public void ProviderEndpointResolve_AnyTrailingSlash_JoinsWithOne(string baseUrl, string path, string expected)
    {
        var sut = new ProviderEndpoint("p", new Uri(baseUrl));

        Assert.Equal(new Uri(expected), sut.Resolve(path));
    }

    [Fact]
    public void ProviderOptionsResolveEndpoint_NoBaseUrl_TheTypesDefault()
    {
        Assert.Equal(ProviderOptions.DefaultOpenAiBaseUrl, new ProviderOptions { Type = "openai" }.ResolveEndpoint("o").BaseUrl);
        Assert.Equal(ProviderOptions.DefaultAnthropicBaseUrl, new ProviderOptions { Type = "anthropic" }.ResolveEndpoint("a").BaseUrl);
    }
}
