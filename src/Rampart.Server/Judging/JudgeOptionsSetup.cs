using Rampart.Llm.Judging;
using Rampart.Server.Configuration;

namespace Rampart.Server.Judging;

/// <summary>Reads <see cref="JudgeOptions"/> from the <c>judges</c> section.</summary>
internal sealed class JudgeOptionsSetup(IConfiguration configuration) : SettingsSetup<JudgeOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(JudgeOptions options, SettingReader reader)
    {
        reader.CheckKeys("judges", "queue_capacity", "queue_max_bytes", "concurrency", "timeout");
        options.QueueCapacity = (int)reader.Whole("judges:queue_capacity", options.QueueCapacity, 1, 10_000_000);
        options.QueueMaxBytes = reader.Whole("judges:queue_max_bytes", options.QueueMaxBytes, 1024, 1L << 40);
        options.Concurrency = (int)reader.Whole("judges:concurrency", options.Concurrency, 1, 1024);
        options.Timeout = reader.Duration("judges:timeout", options.Timeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), "such as '30s' or '2m'");
    }
}
