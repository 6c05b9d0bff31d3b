using Microsoft.Extensions.Options;
using Rampart.Core.Alerts;

namespace Rampart.Server.Alerts;

/// <summary>
/// Sends every alert to the log and to each configured webhook (<c>alerts.webhooks</c>). Each webhook has its own queue and
/// delivery loop with retries and back-off, so a slow or failing receiver delays neither the monitor nor the other receivers.
/// </summary>
internal sealed partial class WebhookAlertSink : IAlertSink, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);
    private readonly ILogger<WebhookAlertSink> logger;
    private readonly List<WebhookDelivery> deliveries;

    public WebhookAlertSink(IOptions<AlertOptions> settings, IHttpClientFactory clients, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(loggers);
        logger = loggers.CreateLogger<WebhookAlertSink>();
        var alerts = settings.Value;
        var deliveryLogger = loggers.CreateLogger<WebhookDelivery>();
        deliveries = alerts.Webhooks
            .Select(url => new WebhookDelivery(url, alerts, () => clients.CreateClient(AlertServices.HttpClientName), time, deliveryLogger))
            .ToList();
    }

    /// <inheritdoc />
    public void Send(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        LogAlert(logger, alert.Experiment, alert.Kind, alert.Text);
        var body = AlertBody.Serialize(alert);
        foreach (var delivery in deliveries)
        {
            delivery.Enqueue(alert, body);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var delivery in deliveries)
        {
            delivery.Start();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Alerts already queued get a short grace to go out (a dead receiver must not hold the server's shutdown); what is
        // left then was logged when it was sent.
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(ShutdownGrace);
        await Task.WhenAll(deliveries.Select(d => d.StopAsync(grace.Token))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var delivery in deliveries)
        {
            await delivery.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert for {Experiment} ({Kind}): {Text}")]
    private static partial void LogAlert(ILogger logger, string experiment, string kind, string text);
}
