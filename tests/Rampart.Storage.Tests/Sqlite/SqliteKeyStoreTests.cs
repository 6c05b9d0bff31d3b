using Rampart.Core.Access;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteKeyStoreTests : KeyStoreContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override IKeyStore CreateStore() => new SqliteKeyStore(new SqliteDatabase(file.Path));

    public void Dispose() => file.Dispose();
}
