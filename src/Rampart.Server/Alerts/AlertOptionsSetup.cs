using Rampart.Core.Experiments;
using Rampart.Server.Configuration;

namespace Rampart.Server.Alerts;

/// <summary>Reads <see cref="AlertOptions"/> from the <c>alerts</c> section.</summary>
internal sealed class AlertOptionsSetup(IConfiguration configuration) : SettingsSetup<AlertOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(AlertOptions options, SettingReader reader)
    {
        reader.CheckKeys("alerts", "webhooks", "retry_initial", "retry_max", "max_attempts", "timeout", "queue_capacity");
        var webhooks = reader.Configuration.GetSection("alerts:webhooks");
        if (webhooks.Value is not null)
        {
            reader.Problems.Add($"alerts.webhooks must be a list of URLs such as [\"http://127.0.0.1:9000/hook\"]; got '{webhooks.Value}'.");
        }

        foreach (var entry in webhooks.GetChildren())
        {
            if (Uri.TryCreate(entry.Value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                options.Webhooks.Add(url);
            }
            else
            {
                reader.Problems.Add($"alerts.webhooks[{entry.Key}] must be an http or https URL; got '{entry.Value}'.");
            }
        }

        options.RetryInitial = reader.Duration("alerts:retry_initial", options.RetryInitial);
        options.RetryMax = reader.Duration("alerts:retry_max", options.RetryMax);
        options.Timeout = reader.Duration("alerts:timeout", options.Timeout);
        options.MaxAttempts = (int)reader.Whole("alerts:max_attempts", options.MaxAttempts, 1, 100);
        options.QueueCapacity = (int)reader.Whole("alerts:queue_capacity", options.QueueCapacity, 1, 1_000_000);
        if (options.RetryMax < options.RetryInitial)
        {
            reader.Problems.Add($"alerts.retry_max ({DurationText.Format(options.RetryMax)}) must not be shorter than alerts.retry_initial ({DurationText.Format(options.RetryInitial)}).");
        }
    }
}
