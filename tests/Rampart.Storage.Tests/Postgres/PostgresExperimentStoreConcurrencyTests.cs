using Rampart.Core.Rollouts;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresExperimentStoreConcurrencyTests : ExperimentStoreConcurrencyContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    // Each store gets its own database (its own connection pool), as another server would.
    protected override IExperimentStore CreateStore() => new PostgresExperimentStore(Database());

    public void Dispose() => postgres.Dispose();

    private PostgresDatabase Database() => postgres.Own(new PostgresDatabase(postgres.ConnectionString));
}
