using Npgsql;
using Rampart.Core.Rollouts;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresUnreadableExperimentTests : UnreadableExperimentContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    protected override IExperimentStore CreateStore() => new PostgresExperimentStore(postgres.Own(new PostgresDatabase(postgres.ConnectionString)));

    protected override int Damage(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteNonQuery();
    }

    public void Dispose() => postgres.Dispose();
}
