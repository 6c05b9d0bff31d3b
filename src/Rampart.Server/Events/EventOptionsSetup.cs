using Rampart.Server.Configuration;

namespace Rampart.Server.Events;

/// <summary>Reads <see cref="EventOptions"/> from the <c>events</c> section.</summary>
internal sealed class EventOptionsSetup(IConfiguration configuration) : SettingsSetup<EventOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(EventOptions options, SettingReader reader)
    {
        reader.CheckKeys("events", "queue_capacity", "max_batch", "writers", "retry_after_seconds", "gateway_linger", "journal_path", "journal_max_bytes");
        options.QueueCapacity = (int)reader.Whole("events:queue_capacity", options.QueueCapacity, 1, 10_000_000);
        options.MaxBatch = (int)reader.Whole("events:max_batch", options.MaxBatch, 1, 100_000);
        if (reader["events:writers"] is not null)
        {
            options.Writers = (int)reader.Whole("events:writers", 1, 1, 16);
        }

        options.RetryAfterSeconds = (int)reader.Whole("events:retry_after_seconds", options.RetryAfterSeconds, 1, 3600);
        options.GatewayLinger = reader.Duration("events:gateway_linger", options.GatewayLinger, TimeSpan.Zero, TimeSpan.FromMilliseconds(50), "from '0ms' to '50ms'");

        var path = reader["events:journal_path"];
        if (path is not null)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                reader.Problems.Add("events.journal_path must name a file (the local journal events are kept in while the store fails), such as '/var/lib/rampart/events.journal'.");
            }
            else
            {
                options.JournalPath = path;
            }
        }

        options.JournalMaxBytes = reader.Whole("events:journal_max_bytes", options.JournalMaxBytes, 64 * 1024, 1L << 40);
    }
}
