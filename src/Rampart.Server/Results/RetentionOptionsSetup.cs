using Rampart.Server.Configuration;

namespace Rampart.Server.Results;

/// <summary>Reads <see cref="RetentionOptions"/> from the <c>retention</c> section.</summary>
internal sealed class RetentionOptionsSetup(IConfiguration configuration) : SettingsSetup<RetentionOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(RetentionOptions options, SettingReader reader)
    {
        reader.CheckKeys("retention", "events_max_age");
        if (reader["retention:events_max_age"] is not null)
        {
            options.EventsMaxAge = reader.Duration("retention:events_max_age", TimeSpan.FromDays(90), TimeSpan.FromHours(1), TimeSpan.FromDays(36_500), "from '1h' to '36500d', such as '90d'");
        }
    }
}
