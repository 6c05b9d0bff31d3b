using Rampart.Server.Configuration;

namespace Rampart.Server.Events;

/// <summary>Reads <see cref="FeedbackOptions"/> from the <c>feedback</c> section.</summary>
internal sealed class FeedbackOptionsSetup(IConfiguration configuration) : SettingsSetup<FeedbackOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(FeedbackOptions options, SettingReader reader)
    {
        reader.CheckKeys("feedback", "pending_ttl", "max_pending", "max_pending_bytes");
        options.PendingTtl = reader.Duration("feedback:pending_ttl", options.PendingTtl, TimeSpan.FromTicks(1), TimeSpan.MaxValue, "such as '12h' or '7d'");
        options.MaxPending = (int)reader.Whole("feedback:max_pending", options.MaxPending, 1, 10_000_000);
        options.MaxPendingBytes = reader.Whole("feedback:max_pending_bytes", options.MaxPendingBytes, 64 * 1024, 1L << 32);
    }
}
