using Rampart.Testing;

namespace Rampart.Cli.Tests;

/// <summary>Runs the <c>rampart</c> command in-process against a temporary SQLite file.</summary>
internal sealed class CliHarness : IDisposable
{
    private readonly TempDirectory directory = new();

    public string Folder => directory.Path;

    public string Db => directory.File("rampart.db");

    public string WriteFile(string name, string content)
    {
        var path = directory.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Creates the database file with no experiments (commands that only read refuse a missing file).</summary>
    public void CreateEmptyDatabase() => new Rampart.Storage.Sqlite.SqliteDatabase(Db).Initialize();

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--db", Db], stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"rampart {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }

    public async Task CreateSeedAsync(bool start = true)
    {
        await RunOkAsync("experiments", "create", "-f", WriteFile("seed.json", SeedExperiment.Json));
        if (start)
        {
            await RunOkAsync("rollout", "start", "prompt-opt-v2");
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Dispose();
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
