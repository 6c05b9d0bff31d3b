using Rampart.Core.Rollouts;
using Rampart.Storage.Sqlite;
using Rampart.Storage.Tests.Contracts;

namespace Rampart.Storage.Tests.Sqlite;

public sealed class SqliteParsedExperimentsTests : ParsedExperimentsContract, IDisposable
{
    private readonly TempDatabaseFile file = new();

    protected override IExperimentStore CreateStore() => new SqliteExperimentStore(file.Path);

    protected override int EditByHand(string sql)
    {
        using var connection = file.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    protected override int ParsedCount(IExperimentStore store) => ((SqliteExperimentStore)store).ParsedCount;

    public void Dispose() => file.Dispose();
}
