namespace Rampart.Cli.Tests;

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
}
