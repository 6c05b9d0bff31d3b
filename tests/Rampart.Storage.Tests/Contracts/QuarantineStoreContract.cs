using Rampart.Core.Events;

namespace Rampart.Storage.Tests.Contracts;

/// <summary>What every <see cref="IQuarantineStore"/> must do.</summary>
public abstract class QuarantineStoreContract
{
    protected abstract IQuarantineStore CreateStore();

    [Fact]
    public async Task AddAsync_SamePositionTwice_KeptOnceWithTheFirstError()
    {
        var sut = CreateStore();
        await sut.AddAsync(Quarantined(5, "first"));
        await sut.AddAsync(Quarantined(5, "again after a restart"));

        var listed = Assert.Single(await sut.ListAsync(0, 10));

        Assert.Equal(Quarantined(5, "first"), listed);
    }

    [Fact]
    public async Task ListAsync_AfterAndLimit_PagesInPositionOrder()
    {
        var sut = CreateStore();
        foreach (var position in new long[] { 30, 10, 20 })
        {
            await sut.AddAsync(Quarantined(position, "e"));
        }

        Assert.Equal([10L, 20L], (await sut.ListAsync(0, 2)).Select(q => q.Position));
        Assert.Equal([30L], (await sut.ListAsync(20, 2)).Select(q => q.Position));
    }

    private static QuarantinedEvent Quarantined(long position, string error) =>
        new(position, "exp", position % 20 == 0 ? null : $"id-{position}", """{"type":"completion","latency_ms":1e200}""", error,
            new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero));
}
