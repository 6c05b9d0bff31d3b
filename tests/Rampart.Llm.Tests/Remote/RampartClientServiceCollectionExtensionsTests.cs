using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Core.Events;
using Rampart.Llm.Remote;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Remote;

public sealed class RampartClientServiceCollectionExtensionsTests
{
    [Fact]
    public void AddRampartClient_NumbersOutOfRange_ThrowsNamingEachAtRegistration()
    {
        var services = new ServiceCollection();

        var sut = Assert.Throws<ArgumentException>(() => services.AddRampartClient(o =>
        {
            (o.BaseAddress, o.ApiKey) = (new Uri("http://127.0.0.1:5080"), "key");
            (o.FlushInterval, o.RetryDelay) = (TimeSpan.FromDays(60), TimeSpan.FromDays(1000));
            (o.MaxBatch, o.MaxQueue, o.MaxAttempts) = (int.MaxValue, int.MaxValue, int.MaxValue);
        }));

        foreach (var name in new[] { "FlushInterval", "RetryDelay", "MaxBatch", "MaxQueue", "MaxAttempts" })
        {
            Assert.Contains($"{name} is ", sut.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AddRampartClient_ServicesDisposedSynchronously_QueuedEventsSent()
    {
        await using var server = await FakeUpstream.StartAsync(context => context.Response.WriteAsync("""{"accepted":1,"duplicates":0,"rejected":[]}"""));
        var services = new ServiceCollection();
        services.AddRampartClient(o => (o.BaseAddress, o.ApiKey) = (server.BaseUrl, "key"));
        var provider = services.BuildServiceProvider();
        var sink = provider.GetRequiredService<IEventSink>();
        await sink.WriteAsync(new ExperimentEvent { Type = EventType.Exposure, Experiment = "exp", Variant = "control", Unit = "u1", Ts = SeedExperiment.Epoch });

        // What `using var provider = services.BuildServiceProvider()` does at the end of a console app.
        provider.Dispose();

        Assert.Single(server.Requests);
        Assert.Equal(0, ((RemoteEventSink)sink).Lost);
    }
}
