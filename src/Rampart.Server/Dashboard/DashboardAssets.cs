using System.Collections.Frozen;
using System.Reflection;
using Rampart.Server.Http;

namespace Rampart.Server.Dashboard;

/// <summary>
/// The dashboard's static files (Dashboard/assets, the vendored chart library among them), embedded in this assembly at
/// build time, so the server needs no web root on disk and no network.
/// </summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".md"] = "text/markdown; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> Files = new(Load);

    /// <summary>The file at <paramref name="path"/> (relative to Dashboard/assets, e.g. <c>app.js</c>), or null.</summary>
    public static DashboardAsset? Find(string path) => Files.Value.GetValueOrDefault(path);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            files[name[Prefix.Length..]] = Read(assembly, name);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static DashboardAsset Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded dashboard file '{name}' cannot be read.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var content = memory.ToArray();
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        return new DashboardAsset(content, type, EntityTags.Of(content));
    }
}
