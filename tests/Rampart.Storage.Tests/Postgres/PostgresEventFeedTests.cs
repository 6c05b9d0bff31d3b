using Rampart.Core.Events;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresEventFeedTests : EventFeedContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    protected override (IEventStore Store, IEventFeed Feed) Open()
    {
        var database = postgres.Own(new PostgresDatabase(postgres.ConnectionString));
        return (new PostgresEventStore(database), new PostgresEventFeed(database));
    }

    public void Dispose() => postgres.Dispose();
}
