using System.Diagnostics;
using System.Text.RegularExpressions;
using Rampart.Testing;

namespace Rampart.Wire.Tests;

/// <summary>
/// docs/quickstart.md runs as written: its <c>sh</c> blocks, in order, in one bash session, in a scratch folder laid out as
/// the repository's root (<c>./rampart</c> runs the tests' build of the command, <c>docs/examples</c> is a copy), on a
/// machine with no model key. The one substitution is the port: the doc's <c>127.0.0.1:5080</c> becomes a free one.
/// A block right under <c>&lt;!-- needs a model's key … --&gt;</c> is left out (it needs a real provider's key).
/// </summary>
public sealed partial class QuickstartTests
{
    private const string DocPort = "127.0.0.1:5080";
    private const string NeedsAKey = "<!-- needs a model's key";

    [Fact]
    public async Task Quickstart_ShellBlocks_RunAsWritten_WithNoModelKey()
    {
        var (blocks, leftOut) = ShellBlocks(await File.ReadAllTextAsync(RepositoryPaths.File("docs/quickstart.md")));
        Assert.Equal(1, leftOut); // only "point it at a real model"
        Assert.True(blocks.Count >= 4, $"found only {blocks.Count} sh blocks");
        using var folder = new TempDirectory();
        LayOutRepository(folder.Path);
        var port = ServerProcess.FreePort();
        var script = string.Join('\n', blocks).Replace(DocPort, $"127.0.0.1:{port}", StringComparison.Ordinal);
        Assert.DoesNotContain("5080", script, StringComparison.Ordinal);

        // set -e: any command that fails stops the run; the trap stops the server the doc left in the background.
        var (exitCode, stdout, stderr) = await RunBashAsync(folder.Path, "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script);

        var output = stdout + stderr;
        Assert.True(exitCode == 0, $"the quick start failed (exit {exitCode}):\n{output}");
        Assert.Contains("\"key\":\"prompt-opt-v2-sim\"", stdout, StringComparison.Ordinal);           // created
        Assert.Contains("\"state\":\"running\"", stdout, StringComparison.Ordinal);                   // started
        Assert.Matches(@"HTTP/1\.1 200 OK\r?\n", stdout);                                             // the gateway call
        Assert.Matches(@"X-Rampart-Variant: (control|variant_a|variant_b)", stdout);
        Assert.Contains("\"object\":\"chat.completion\"", stdout, StringComparison.Ordinal);
        Assert.Matches("\"status\":\"(stored|pending)\"", stdout);                                   // the feedback
        Assert.Contains("\"experiment\":\"prompt-opt-v2-sim\"", stdout, StringComparison.Ordinal);    // the results
        Assert.DoesNotContain("error", stderr, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The doc's <c>sh</c> blocks, and how many were left out for needing a model's key.</summary>
    private static (List<string> Blocks, int LeftOut) ShellBlocks(string markdown)
    {
        List<string> blocks = [];
        var leftOut = 0;
        foreach (Match block in FencedShell().Matches(markdown))
        {
            var before = markdown[..block.Index].TrimEnd();
            if (before[(before.LastIndexOf('\n') + 1)..].StartsWith(NeedsAKey, StringComparison.Ordinal))
            {
                leftOut++;
            }
            else
            {
                blocks.Add(block.Groups["body"].Value);
            }
        }

        return (blocks, leftOut);
    }

    /// <summary>What the doc expects at the repository's root: <c>./rampart</c> and <c>docs/examples</c>.</summary>
    private static void LayOutRepository(string folder)
    {
        var rampart = Path.Combine(folder, "rampart");
        File.WriteAllText(rampart, $"#!/usr/bin/env bash\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "rampart.dll")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(rampart, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var examples = Directory.CreateDirectory(Path.Combine(folder, "docs", "examples")).FullName;
        foreach (var file in Directory.GetFiles(RepositoryPaths.File("docs/examples")))
        {
            File.Copy(file, Path.Combine(examples, Path.GetFileName(file)));
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunBashAsync(string folder, string script)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var variable in new[] { "RAMPART_ADMIN_KEY", "RAMPART_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY" })
        {
            start.Environment.Remove(variable); // a machine with no key, and no key of an earlier run
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout, "timed out after 3 minutes\n" + await stderr);
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"^```sh\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedShell();
}
