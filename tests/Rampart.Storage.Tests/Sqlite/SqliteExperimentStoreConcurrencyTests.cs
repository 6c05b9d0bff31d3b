using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteExperimentStoreConcurrencyTests : ExperimentStoreConcurrencyContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    // Each store gets its own SqliteDatabase, as another process opening the same file would.
    protected override IExperimentStore CreateStore() => new SqliteExperimentStore(new SqliteDatabase(file.Path));

    public void Dispose() => file.Dispose();
}
