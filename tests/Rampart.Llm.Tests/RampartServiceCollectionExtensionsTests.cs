using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Llm.Judging;
using Rampart.Llm.Middleware;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests;

public sealed class RampartServiceCollectionExtensionsTests
{
    [Fact]
    public void AddRampart_InvalidOptions_StartupValidationListsEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddRampart(o =>
        {
            o.Providers["openai"] = new ProviderOptions { Type = "openai", BaseUrl = "not a url" };
            o.Pricing["gpt-4"] = new ModelPriceOptions { InputPer1K = -1, OutputPer1K = 0.06m };
        });
        using var provider = services.BuildServiceProvider();

        var sut = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            [
                "providers.openai.base_url must be an absolute http(s) URL; got 'not a url'.",
                "pricing.gpt-4.input_per_1k must be a number of USD per 1,000 input tokens, 0 or more.",
            ],
            sut.Failures);
    }

    [Fact]
    public void AddRampart_InvalidJudgeOptions_StartupValidationNamesThem()
    {
        var services = new ServiceCollection();
        services.AddRampart();
        services.Configure<JudgeOptions>(o => (o.Concurrency, o.Timeout) = (0, TimeSpan.FromDays(60)));
        using var provider = services.BuildServiceProvider();

        var sut = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(sut.Failures, f => f.StartsWith("JudgeOptions.Concurrency is 0", StringComparison.Ordinal));
        Assert.Contains(sut.Failures, f => f.StartsWith("JudgeOptions.Timeout is 60.00:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void AddRampart_BoundFromRampartJson_ProvidersAndPricesComeFromTheFile()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""
            { "storage": { "sqlite": "rampart.db" },
              "providers": { "openai":    { "type": "openai", "base_url": "https://api.openai.com/v1", "api_key_env": "OPENAI_API_KEY", "timeout": "30s" },
                             "anthropic": { "type": "anthropic", "base_url": "https://api.anthropic.com", "api_key_env": "ANTHROPIC_API_KEY" },
                             "sim":       { "type": "simulated" } },
              "pricing": { "gpt-4": { "input_per_1k": 0.05, "output_per_1k": 0.1 } } }
            """))).Build();
        var services = new ServiceCollection();
        services.AddRampart(configuration.Bind);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var registry = provider.GetRequiredService<ProviderRegistry>();

        Assert.Equal(["anthropic", "openai", "sim"], registry.Names.Order());
        Assert.True(registry.TryGet("openai", out var openai));
        Assert.Equal(TimeSpan.FromSeconds(30), openai.Timeout);
        Assert.Equal(new ModelPrice(0.05m, 0.1m), provider.GetRequiredService<PriceTable>().Prices["gpt-4"]);
        Assert.Same(provider.GetRequiredService<PriceTable>(), provider.GetRequiredService<CostEstimator>().Prices);
    }

    [Fact]
    public void AddRampart_PriceTableRegisteredBefore_TheCallersWins()
    {
        var mine = new PriceTable([]);
        var services = new ServiceCollection();
        services.AddSingleton(mine);
        services.AddRampart();
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<PriceTable>());
    }

    [Fact]
    public async Task UseRampartExperiment_FromServices_AssignsAndWritesEvents()
    {
        var time = new FakeTimeProvider(SeedExperiment.Epoch);
        var sink = new RecordingEventSink();
        var inner = new FakeChatClient(time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IExperimentStore>(new InMemoryExperimentStore(SeedExperiment.Running()));
        services.AddSingleton<IEventSink>(sink);
        services.AddRampart();
        services.AddChatClient(inner).UseRampartExperiment("prompt-opt-v2");
        using var provider = services.BuildServiceProvider();
        var sut = provider.GetRequiredService<IChatClient>();

        await sut.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { ["rampart.unit"] = "user-1" } });

        Assert.Equal("prompt-opt-v2", sut.GetService<ExperimentChatClient>()!.ExperimentKey);
        Assert.Equal([EventType.Exposure, EventType.Completion], sink.Events.Select(e => e.Type));
        Assert.Equal(0.0084, sink.Events[1].CostUsd);
    }

    [Fact]
    public void UseRampartExperiment_NoEventSink_ThrowsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IExperimentStore>(new InMemoryExperimentStore());
        services.AddRampart();
        services.AddChatClient(new FakeChatClient(new FakeTimeProvider())).UseRampartExperiment("prompt-opt-v2");
        using var provider = services.BuildServiceProvider();

        var sut = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("IEventSink", sut.Message, StringComparison.Ordinal);
    }
}
