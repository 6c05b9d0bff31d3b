using Rampart.Core.Events;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqlitePendingFeedbackStoreTests : PendingFeedbackStoreContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override IPendingFeedbackStore CreateStore() => new SqlitePendingFeedbackStore(new SqliteDatabase(file.Path));

    public void Dispose() => file.Dispose();
}
