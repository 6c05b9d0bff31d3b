using Rampart.Core.Events;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresQuarantineStoreTests : QuarantineStoreContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    protected override IQuarantineStore CreateStore() => new PostgresQuarantineStore(postgres.Own(new PostgresDatabase(postgres.ConnectionString)));

    public void Dispose() => postgres.Dispose();
}
