using Rampart.Core.Access;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresKeyStoreTests : KeyStoreContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    // Each store gets its own database (its own connection pool), as another server would.
    protected override IKeyStore CreateStore() => new PostgresKeyStore(Database());

    public void Dispose() => postgres.Dispose();

    private PostgresDatabase Database() => postgres.Own(new PostgresDatabase(postgres.ConnectionString));
}
