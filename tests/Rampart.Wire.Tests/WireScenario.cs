namespace Rampart.Wire.Tests;

/// <summary>
/// A fake upstream and the server in front of it, with two providers on the fake (<c>up-openai</c> of type
/// <c>openai</c>, <c>up-anthropic</c> of type <c>anthropic</c>, 2 s timeout: room for a loaded machine, short for the timeout tests) and one running experiment per provider
/// whose two variants differ in model, temperature and system prompt.
/// </summary>
public sealed class WireScenario : IAsyncDisposable
{
    public const string OpenAiExperiment = "wire-openai";
    public const string AnthropicExperiment = "wire-anthropic";

    private WireScenario(FakeUpstream upstream, WireHost server)
    {
        Upstream = upstream;
        Server = server;
    }

    public FakeUpstream Upstream { get; }

    public WireHost Server { get; }

    /// <summary>
    /// Held while a host of this process is built: WebApplicationFactory finds the app's host through a process-wide
    /// DiagnosticListener, so a host built meanwhile (another test's server or fake upstream) could be taken for it.
    /// </summary>
    public static SemaphoreSlim HostStart { get; } = new(1, 1);

    public static async Task<WireScenario> StartAsync()
    {
        await HostStart.WaitAsync();
        FakeUpstream upstream;
        WireHost server;
        try
        {
            upstream = await FakeUpstream.StartAsync();
            server = await StartServerAsync(upstream);
        }
        finally
        {
            HostStart.Release();
        }

        var sut = new WireScenario(upstream, server);
        await server.CreateExperimentAsync(Experiment(OpenAiExperiment, "up-openai"));
        await server.CreateExperimentAsync(Experiment(AnthropicExperiment, "up-anthropic"));
        return sut;
    }

    private static Task<WireHost> StartServerAsync(FakeUpstream upstream) =>
        WireHost.StartAsync(new Dictionary<string, string?>
        {
            ["providers:up-openai:type"] = "openai",
            ["providers:up-openai:base_url"] = upstream.Address + "v1",
            ["providers:up-openai:timeout"] = "2s",
            ["providers:up-anthropic:type"] = "anthropic",
            ["providers:up-anthropic:base_url"] = upstream.Address.ToString().TrimEnd('/'),
            ["providers:up-anthropic:timeout"] = "2s",
            ["providers:refused:type"] = "openai",
            ["providers:refused:base_url"] = "http://127.0.0.1:1/v1",
        });

    /// <summary>An experiment with <c>control</c> and <c>variant_a</c> at 50/50 on <paramref name="provider"/>.</summary>
    public static string Experiment(string key, string provider) => $$"""
        { "key": "{{key}}", "control": "control",
          "variants": {
            "control":   { "provider": "{{provider}}", "model": "model-control", "temperature": 0.25, "system_prompt": "Prompt of control." },
            "variant_a": { "provider": "{{provider}}", "model": "model-a", "temperature": 0.75, "system_prompt": "Prompt of variant_a." } },
          "stages": [ { "weights": { "control": 50, "variant_a": 50 } } ],
          "logging": { "content": "full" } }
        """;

    /// <summary>The model, temperature and system prompt the variant named <paramref name="variant"/> applies.</summary>
    public static (string Model, double Temperature, string SystemPrompt) Expected(string variant) => variant switch
    {
        "control" => ("model-control", 0.25, "Prompt of control."),
        "variant_a" => ("model-a", 0.75, "Prompt of variant_a."),
        _ => throw new ArgumentException($"unknown variant '{variant}'", nameof(variant)),
    };

    /// <summary>Asserts that the upstream's one request carried <paramref name="variant"/>'s settings.</summary>
    public void AssertVariantApplied(string variant, bool anthropic)
    {
        var (model, temperature, systemPrompt) = Expected(variant);
        var request = Upstream.OnlyRequest();
        Assert.Equal(model, request["model"]!.GetValue<string>());
        Assert.Equal(temperature, request["temperature"]!.GetValue<double>(), 6);
        var system = anthropic
            ? request["system"]!.ToJsonString()
            : request["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "system")!["content"]!.GetValue<string>();
        Assert.Contains(systemPrompt, system, StringComparison.Ordinal);
        Assert.DoesNotContain("Caller prompt", system, StringComparison.Ordinal);
        Assert.Contains("Where is my order?", request["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
