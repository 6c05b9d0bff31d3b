namespace Rampart.Server.Configuration;

/// <summary>
/// Where the configuration comes from, later sources winning: <c>rampart.json</c> in the working folder (or the file
/// <c>--config</c> names), then <c>RAMPART__SECTION__KEY</c> environment variables, then the command line
/// (<c>--db PATH</c> sets <c>storage.sqlite</c>, <c>--postgres CONNSTRING</c> sets <c>storage.postgres</c>).
/// </summary>
public static class RampartConfiguration
{
    /// <summary>The configuration file read when <c>--config</c> names none (optional).</summary>
    public const string DefaultFile = "rampart.json";

    /// <summary>The prefix of environment variables that override the configuration.</summary>
    public const string EnvironmentPrefix = "RAMPART__";

    /// <summary>Adds Rampart's configuration sources to <paramref name="builder"/>; throws <see cref="FileNotFoundException"/> for a missing <c>--config</c> file.</summary>
    public static WebApplicationBuilder AddRampartConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;

        // Defaults below every other source: one log line per request is noise for a gateway; rampart.json may lower it.
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Default", "Information"), new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        var given = configuration["config"];
        if (given is not null)
        {
            var path = Path.GetFullPath(given);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--config: the configuration file '{given}' does not exist.", path);
            }

            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        else
        {
            configuration.AddJsonFile(Path.GetFullPath(DefaultFile), optional: true, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--db"] = "storage:sqlite",
            ["--postgres"] = "storage:postgres",
        });
        return builder;
    }
}
