using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;
using Rampart.Server.Configuration;

namespace Rampart.Server.Gateway;

/// <summary>Reads <see cref="GatewayOptions"/> from the <c>gateway</c> section; the default provider must be one of <c>providers</c>.</summary>
internal sealed class GatewayOptionsSetup(IConfiguration configuration) : SettingsSetup<GatewayOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(GatewayOptions options, SettingReader reader)
    {
        reader.CheckKeys("gateway", "default_provider", "max_response_bytes", "max_stream_line_bytes", "max_error_body_bytes", "max_stored_output_chars");
        options.MaxResponseBytes = reader.Whole("gateway:max_response_bytes", options.MaxResponseBytes, 1024, 1L << 30);
        options.MaxStreamLineBytes = (int)reader.Whole("gateway:max_stream_line_bytes", options.MaxStreamLineBytes, 1024, 1 << 26);
        options.MaxErrorBodyBytes = (int)reader.Whole("gateway:max_error_body_bytes", options.MaxErrorBodyBytes, 1024, 1 << 24);
        options.MaxStoredOutputChars = (int)reader.Whole("gateway:max_stored_output_chars", options.MaxStoredOutputChars, 1024, 1 << 26);

        // The provider names as written in the providers section, whose entries RampartOptions checks.
        var providers = reader.Configuration.GetSection(RampartOptionsSetup.ProvidersSection).GetChildren().Select(p => p.Key).ToList();
        options.DefaultProvider = reader["gateway:default_provider"]
            ?? (providers.Contains(ProviderOptions.OpenAiType, StringComparer.Ordinal) ? ProviderOptions.OpenAiType : SimulatedProvider.DefaultName);
        if (options.DefaultProvider != SimulatedProvider.DefaultName && !providers.Contains(options.DefaultProvider, StringComparer.Ordinal))
        {
            reader.Problems.Add($"gateway.default_provider '{options.DefaultProvider}' is not a configured provider; name one of providers ({string.Join(", ", providers.Append(SimulatedProvider.DefaultName).Distinct())}).");
        }
    }
}
