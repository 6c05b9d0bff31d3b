using System.Diagnostics;
using Rampart.Core.Rollouts;
using Rampart.Storage.Postgres;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresExperimentChangesTests : IDisposable
{
    private static readonly DateTimeOffset T0 = SeedExperiment.Epoch;

    private readonly TestPostgres postgres = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => postgres.Dispose();

    [Fact]
    public async Task NextChangeAsync_ChangeCommittedByAnotherServer_CompletesAtOnce()
    {
        await using var sut = new PostgresExperimentChanges(Database());
        var writer = new PostgresExperimentStore(Database());
        await sut.NextChangeAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct); // the first signal: listening has started
        var draft = await CreateAsync(sut, writer);
        var next = sut.NextChangeAsync(Ct);
        Assert.False(next.IsCompleted);

        var started = Rollout.Start(draft, T0.AddMinutes(1), "cli");
        await writer.UpdateAsync(started.Experiment, started.Audit, Ct);
        // Timed from the commit: the write itself, on a server other tests share, is not what is measured.
        var clock = Stopwatch.StartNew();
        await next.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the signal came {clock.Elapsed.TotalMilliseconds:F0} ms after the commit");
    }

    [Fact]
    public async Task NextChangeAsync_RolledBackWrite_DoesNotSignal()
    {
        await using var sut = new PostgresExperimentChanges(Database());
        var writer = new PostgresExperimentStore(Database());
        await sut.NextChangeAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var draft = await CreateAsync(sut, writer);
        var next = sut.NextChangeAsync(Ct);

        await Assert.ThrowsAsync<ExperimentConflictException>(() => writer.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct));
        await Task.Delay(500, Ct);

        Assert.False(next.IsCompleted);
    }

    // Creates a draft and waits for its own announcement, which arrives in its own time after the commit: a wait begun
    // before it arrived would end with it rather than with the change the test makes next.
    private static async Task<Experiment> CreateAsync(PostgresExperimentChanges sut, PostgresExperimentStore writer)
    {
        var draft = Experiment.CreateDraft(SeedExperiment.Definition(), T0);
        var created = sut.NextChangeAsync(Ct);
        await writer.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);
        await created.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return draft;
    }

    private PostgresDatabase Database() => postgres.Own(new PostgresDatabase(postgres.ConnectionString));
}
