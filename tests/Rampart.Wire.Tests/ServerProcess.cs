using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Rampart.Wire.Tests;

/// <summary><c>dotnet rampart.dll serve --urls http://127.0.0.1:PORT --db FILE</c> as a child process.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> errorLines = new();

    private ServerProcess(Process process) => this.process = process;

    /// <summary>What the server has written to stderr so far, line by line.</summary>
    public IReadOnlyCollection<string> ErrorLines => errorLines;

    /// <summary>A port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits (20 s at most) until <c>/healthz</c> answers.</summary>
    public static Task<ServerProcess> StartAsync(Uri address, string db, string adminKey) =>
        StartAsync(address, ["--db", db], Path.GetDirectoryName(db)!, adminKey);

    /// <summary>Starts the server on the storage <paramref name="storage"/> names (<c>--postgres CONNSTRING</c>), in <paramref name="folder"/>.</summary>
    public static async Task<ServerProcess> StartAsync(Uri address, string[] storage, string folder, string adminKey)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "rampart.dll"), "serve", "--urls", address.ToString().TrimEnd('/') }.Concat(storage))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RAMPART_ADMIN_KEY"] = adminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        var sut = new ServerProcess(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } data)
            {
                sut.errorLines.Enqueue(data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var health = await probe.GetAsync("/healthz");
                if (health.IsSuccessStatusCode)
                {
                    return sut;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        sut.Dispose();
        throw new InvalidOperationException($"rampart serve did not become healthy on {address} (exited: {process.HasExited}).");
    }

    /// <summary>SIGKILL: no shutdown, no draining, no flushing.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
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
