using System.Diagnostics;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>An 8 MB tmpfs (room, once freed, for the events held while it was full) mounted in a temporary folder (root only), which the test can fill up and free again.</summary>
public sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    /// <summary>Mounts it, or skips the test saying why when mounting is not permitted here.</summary>
    public static SmallTmpfs MountOrSkip()
    {
        var path = Directory.CreateTempSubdirectory("rampart-tmpfs-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Assert.Skip($"The full-disk test needs a small tmpfs and 'mount -t tmpfs' is not permitted here (run the tests as root): {error.Trim()}");
        }

        return new SmallTmpfs(path);
    }

    /// <summary>Fills the file system up to its last byte.</summary>
    public void Fill()
    {
        using var filler = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                filler.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        try
        {
            while (true)
            {
                filler.Write(block.AsSpan(0, 1));
            }
        }
        catch (IOException)
        {
            // Full to the byte.
        }
    }

    /// <summary>Frees the room <see cref="Fill"/> took.</summary>
    public void Free() => File.Delete(Filler);

    /// <inheritdoc />
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Error) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
