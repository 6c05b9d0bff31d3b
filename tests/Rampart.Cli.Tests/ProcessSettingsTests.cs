using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Rampart.Cli.Tests;

[Collection(nameof(ProcessEnvironmentRunAlone))]
public sealed class ProcessSettingsTests
{
    [Fact]
    public void SetUnlessSet_VariableNotSet_SetsIt()
    {
        var name = $"RAMPART_TEST_{Guid.NewGuid():N}";

        ProcessSettings.SetUnlessSet(name, "1");

        Assert.Equal("1", Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, null);
    }

    [Fact]
    public void SetUnlessSet_VariableSetByTheUser_KeepsTheUsersValue()
    {
        var name = $"RAMPART_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "0");

        ProcessSettings.SetUnlessSet(name, "1");

        Assert.Equal("0", Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, null);
    }

    [Fact]
    public void Apply_TheDefaultWebHost_ReadsAppsettingsWithoutWatchingIt()
    {
        var before = Environment.GetEnvironmentVariable(ProcessSettings.ReloadConfigOnChange);
        try
        {
            Environment.SetEnvironmentVariable(ProcessSettings.ReloadConfigOnChange, null);
            var unset = AppsettingsSources();

            ProcessSettings.Apply();
            var sut = AppsettingsSources();

            Assert.All(unset, source => Assert.True(source.ReloadOnChange));   // what Apply is there to change
            Assert.NotEmpty(sut);
            Assert.Equal(unset.Count, sut.Count);
            Assert.All(sut, source => Assert.False(source.ReloadOnChange, source.Path));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ProcessSettings.ReloadConfigOnChange, before);
        }
    }

    private static List<JsonConfigurationSource> AppsettingsSources() =>
        ((IConfigurationBuilder)WebApplication.CreateBuilder().Configuration).Sources
            .OfType<JsonConfigurationSource>()
            .Where(source => source.Path?.StartsWith("appsettings", StringComparison.Ordinal) == true)
            .ToList();
}
