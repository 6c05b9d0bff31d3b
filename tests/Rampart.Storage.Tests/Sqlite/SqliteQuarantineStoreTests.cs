using Rampart.Core.Events;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteQuarantineStoreTests : QuarantineStoreContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override IQuarantineStore CreateStore() => new SqliteQuarantineStore(new SqliteDatabase(file.Path));

    public void Dispose() => file.Dispose();
}
