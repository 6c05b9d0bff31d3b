using System.Text.Json;
using Rampart.Testing;

namespace Rampart.Dashboard.Tests;

/// <summary>
/// The chart library the server embeds is the file npm installs from web/package-lock.json, byte for byte, so the
/// committed copy is the pinned release and nothing else (docs/decisions/0003-dashboard-charts.md). ./test runs `npm ci` in web/.
/// </summary>
public sealed class VendoredAssetsTests
{
    private static readonly string Vendored = RepositoryPaths.File("src/Rampart.Server/Dashboard/assets/vendor/chart.umd.min.js");

    [Fact]
    public void ChartJs_VendoredFile_IsTheVersionTheLockPins()
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.File("web/package-lock.json")));
        var pinned = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/chart.js").GetProperty("version").GetString();

        Assert.Contains($"Chart.js v{pinned}\n", File.ReadAllText(Vendored), StringComparison.Ordinal);
    }

    [Fact]
    public void ChartJs_VendoredFile_EqualsTheFileNpmInstalls()
    {
        var installed = RepositoryPaths.File("web/node_modules/chart.js/dist/chart.umd.min.js");
        Assert.True(File.Exists(installed), $"{installed} is missing: run `npm ci` in web/ (./test does).");

        Assert.Equal(File.ReadAllBytes(installed), File.ReadAllBytes(Vendored));
    }
}
