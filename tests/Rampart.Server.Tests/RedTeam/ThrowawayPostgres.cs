using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// A PostgreSQL 15 server of the test's own (initdb and pg_ctl in a temporary folder, on a free port), which the test
/// may stop and start: never the shared test server. Run as root, its commands run as the postgres user.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    /// <summary>Where Debian's PostgreSQL 15 binaries are (./test installs them).</summary>
    public const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly DirectoryInfo folder;
    private readonly int port;

    private ThrowawayPostgres(DirectoryInfo folder, int port)
    {
        this.folder = folder;
        this.port = port;
    }

    /// <summary>An Npgsql connection string to it, failing fast while it is stopped.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=10";

    private string Data => Path.Combine(folder.FullName, "data");

    /// <summary>Creates the cluster and starts it.</summary>
    public static ThrowawayPostgres Start()
    {
        if (!File.Exists(Path.Combine(Bin, "pg_ctl")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is needed ({Bin}/pg_ctl is missing): apt-get install postgresql, as ./test does.");
        }

        var folder = Directory.CreateTempSubdirectory("rampart-pg-");
        if (Environment.IsPrivilegedProcess)
        {
            Run("chown", "postgres:postgres", folder.FullName);
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var sut = new ThrowawayPostgres(folder, port);
        AsPostgres($"{Bin}/initdb", "-D", sut.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        sut.StartServer();
        return sut;
    }

    /// <summary>Starts the stopped server again.</summary>
    public void StartServer() =>
        AsPostgres($"{Bin}/pg_ctl", "-D", Data, "-l", Path.Combine(folder.FullName, "server.log"), "-w", "start",
            "-o", $"-p {port} -k {folder.FullName} -c listen_addresses=127.0.0.1 -c fsync=off");

    /// <summary>Stops the server (fast shutdown: open connections are closed).</summary>
    public void Stop() => AsPostgres($"{Bin}/pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            AsPostgres($"{Bin}/pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        folder.Delete(recursive: true);
    }

    private static void AsPostgres(string command, params string[] arguments)
    {
        if (Environment.IsPrivilegedProcess)
        {
            Run("runuser", ["-u", "postgres", "--", command, .. arguments]);
        }
        else
        {
            Run(command, arguments);
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}{output.Result}");
        }
    }
}
