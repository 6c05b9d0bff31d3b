using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rampart.Testing;

namespace Rampart.Wire.Tests;

/// <summary>Runs the scripts of tests/wire-js (the official <c>openai</c> npm client) and returns the JSON they printed.</summary>
public static class NodeClient
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static string Folder => RepositoryPaths.File("tests/wire-js");

    public static async Task<JsonElement> ChatAsync(Uri server, string model, string user, bool stream)
    {
        await EnsureInstalledAsync();
        var args = new JsonObject
        {
            ["baseURL"] = new Uri(server, "/v1").ToString(),
            ["apiKey"] = WireHost.IngestKey,
            ["model"] = model,
            ["user"] = user,
            ["stream"] = stream,
        };
        var (exitCode, stdout, stderr) = await RunAsync("node", "chat.mjs", args.ToJsonString());
        Assert.True(exitCode == 0, $"node exited with {exitCode}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary>Runs tests/wire-js/models.mjs: models.list(), models.retrieve(model) and calls to paths the gateway does not serve.</summary>
    public static async Task<JsonElement> ModelsAsync(Uri server, string model)
    {
        await EnsureInstalledAsync();
        var args = new JsonObject { ["baseURL"] = new Uri(server, "/v1").ToString(), ["apiKey"] = WireHost.IngestKey, ["model"] = model };
        var (exitCode, stdout, stderr) = await RunAsync("node", "models.mjs", args.ToJsonString());
        Assert.True(exitCode == 0, $"node exited with {exitCode}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary><c>npm ci</c> when node_modules lacks the client (./test does it first; this covers a bare <c>dotnet test</c>).</summary>
    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(Folder, "node_modules", "openai", "package.json")))
            {
                var (exitCode, _, stderr) = await RunAsync("npm", "ci", "--no-audit", "--no-fund");
                Assert.True(exitCode == 0, $"npm ci failed in {Folder}: {stderr}");
            }
        }
        finally
        {
            Install.Release();
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
