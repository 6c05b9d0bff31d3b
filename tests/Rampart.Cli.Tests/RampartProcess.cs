using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Rampart.Cli.Tests;

/// <summary>The built <c>rampart</c> command (<c>dotnet rampart.dll …</c>) as a child process in a working folder of the test's choosing.</summary>
internal sealed class RampartProcess : IDisposable
{
    private readonly Process process;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    private RampartProcess(Process process)
    {
        this.process = process;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>rampart <paramref name="args"/></c> in <paramref name="folder"/>.</summary>
    public static RampartProcess Start(string folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rampart.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new RampartProcess(Process.Start(start)!);
    }

    /// <summary>Runs <c>rampart <paramref name="args"/></c> in <paramref name="folder"/> to its end (two minutes at most).</summary>
    public static async Task<CliResult> RunAsync(string folder, params string[] args)
    {
        using var sut = Start(folder, null, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await sut.process.WaitForExitAsync(timeout.Token);
        return new CliResult(sut.process.ExitCode, await sut.stdout, await sut.stderr);
    }

    /// <summary>Waits until <c>/healthz</c> at <paramref name="address"/> answers (<paramref name="seconds"/> at most).</summary>
    public async Task WaitHealthyAsync(Uri address, int seconds)
    {
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(1) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds) && !process.HasExited)
        {
            try
            {
                using var health = await probe.GetAsync("/healthz");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        Dispose();
        Assert.Fail($"rampart did not serve {address} within {seconds} s (exited: {process.HasExited}): {await stderr}");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
