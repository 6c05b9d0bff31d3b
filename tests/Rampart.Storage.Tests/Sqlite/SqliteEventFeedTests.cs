using Rampart.Core.Events;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteEventFeedTests : EventFeedContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override (IEventStore Store, IEventFeed Feed) Open()
    {
        var database = new SqliteDatabase(file.Path);
        return (new SqliteEventStore(database), new SqliteEventFeed(database));
    }

    public void Dispose() => file.Dispose();
}
