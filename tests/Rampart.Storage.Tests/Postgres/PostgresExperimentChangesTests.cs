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
        var draft = Experiment.CreateDraft(SeedExperiment.Definition(), T0);
        await writer.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);
        var next = sut.NextChangeAsync(Ct);
        Assert.False(next.IsCompleted);
        var clock = Stopwatch.StartNew();

        var started = Rollout.Start(draft, T0.AddMinutes(1), "cli");
        await writer.UpdateAsync(started.Experiment, started.Audit, Ct);
        await next.WaitAsync(TimeSpan.FromSeconds(2), Ct);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task NextChangeAsync_RolledBackWrite_DoesNotSignal()
    {
        await using var sut = new PostgresExperimentChanges(Database());
        var writer = new PostgresExperimentStore(Database());
        await sut.NextChangeAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var draft = Experiment.CreateDraft(SeedExperiment.Definition(), T0);
        await writer.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct);
        await Task.Delay(200, Ct); // let the create's own notification arrive
        var next = sut.NextChangeAsync(Ct);

        await Assert.ThrowsAsync<ExperimentConflictException>(() => writer.CreateAsync(draft, Rollout.Created(draft, "cli"), Ct));
        await Task.Delay(500, Ct);

        Assert.False(next.IsCompleted);
    }

    private PostgresDatabase Database() => postgres.Own(new PostgresDatabase(postgres.ConnectionString));
}
