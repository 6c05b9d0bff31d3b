using Npgsql;
using Rampart.Core.Rollouts;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresParsedExperimentsTests : ParsedExperimentsContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    // Each store gets its own database (its own connection pool), as another server would.
    protected override IExperimentStore CreateStore() => new PostgresExperimentStore(postgres.Own(new PostgresDatabase(postgres.ConnectionString)));

    protected override int EditByHand(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteNonQuery();
    }

    protected override int ParsedCount(IExperimentStore store) => ((PostgresExperimentStore)store).ParsedCount;

    public void Dispose() => postgres.Dispose();
}
