namespace Rampart.Cli;

/// <summary>
/// Settings of the <c>rampart</c> executable that the host reads from the environment only, set at the very start of
/// <c>Main</c>, before any host exists (docs/decisions/0019-no-configuration-watcher.md). A value the user set in the
/// environment is left as it is.
/// </summary>
internal static class ProcessSettings
{
    /// <summary>Whether the default host watches its working folder for changes to <c>appsettings.json</c>.</summary>
    public const string ReloadConfigOnChange = "DOTNET_hostBuilder__reloadConfigOnChange";

    /// <summary>Sets each setting the environment does not already set.</summary>
    public static void Apply()
    {
        // The default host watches the working folder and everything under it for appsettings.json; with the SQLite file
        // there, every write to its log woke the watcher's thread (hundreds of times a second under load). Rampart reads
        // its configuration once, at start.
        SetUnlessSet(ReloadConfigOnChange, "false");
    }

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> unless the environment already has it.</summary>
    internal static void SetUnlessSet(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
