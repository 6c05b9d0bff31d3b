using Rampart.Llm.Shadowing;
using Rampart.Server.Configuration;

namespace Rampart.Server.Shadowing;

/// <summary>Reads <see cref="ShadowOptions"/> from the <c>shadow</c> section.</summary>
internal sealed class ShadowOptionsSetup(IConfiguration configuration) : SettingsSetup<ShadowOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(ShadowOptions options, SettingReader reader)
    {
        reader.CheckKeys("shadow", "queue_capacity", "queue_max_bytes", "concurrency", "timeout");
        options.QueueCapacity = (int)reader.Whole("shadow:queue_capacity", options.QueueCapacity, 1, 10_000_000);
        options.QueueMaxBytes = reader.Whole("shadow:queue_max_bytes", options.QueueMaxBytes, 1024, 1L << 40);
        options.Concurrency = (int)reader.Whole("shadow:concurrency", options.Concurrency, 1, 1024);
        options.Timeout = reader.Duration("shadow:timeout", options.Timeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), "such as '60s' or '2m'");
    }
}
