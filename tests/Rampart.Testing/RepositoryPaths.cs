namespace Rampart.Testing;

/// <summary>Files of the repository, found from the test binaries' folder upwards.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository's root (the folder holding Rampart.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A file of the repository by its path relative to the root.</summary>
    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Rampart.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("Rampart.slnx not found above the test binaries.");
    }
}
