namespace Rampart.Server.Alerts;

/// <summary>The <c>alerts</c> section (docs/configuration.md): where alerts go and how hard delivery tries.</summary>
public sealed class AlertOptions
{
    /// <summary>The webhook URLs every alert is POSTed to (<c>alerts.webhooks</c>).</summary>
    /// <value>Default: none.</value>
    public List<Uri> Webhooks { get; } = [];

    /// <summary>The wait before the first retry, doubled after each failure (<c>alerts.retry_initial</c>).</summary>
    /// <value>Default: 1s.</value>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries (<c>alerts.retry_max</c>).</summary>
    /// <value>Default: 1m.</value>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts per alert and webhook, the first included (<c>alerts.max_attempts</c>).</summary>
    /// <value>Default: 8.</value>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one attempt may take (<c>alerts.timeout</c>).</summary>
    /// <value>Default: 10s.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Alerts that may wait per webhook while it fails (<c>alerts.queue_capacity</c>).</summary>
    /// <value>Default: 1000.</value>
    public int QueueCapacity { get; set; } = 1000;
}
