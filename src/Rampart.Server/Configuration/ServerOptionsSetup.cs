namespace Rampart.Server.Configuration;

/// <summary>Reads <see cref="ServerOptions"/> from the <c>server</c> section.</summary>
internal sealed class ServerOptionsSetup(IConfiguration configuration) : SettingsSetup<ServerOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(ServerOptions options, SettingReader reader)
    {
        reader.CheckKeys("server", "max_body_bytes", "inline_io");
        options.MaxBodyBytes = reader.Whole("server:max_body_bytes", options.MaxBodyBytes, 1024, 1L << 30);
        options.InlineIo = reader.Flag("server:inline_io", options.InlineIo);
    }
}
