using System.Net.Http.Headers;
using System.Threading.Channels;
using Polly;
using Polly.Retry;
using Rampart.Core.Alerts;

namespace Rampart.Server.Alerts;

/// <summary>
/// One webhook's queue and delivery loop: alerts are POSTed in order; a failed attempt (connection error, timeout, non-2xx)
/// is retried after <see cref="AlertOptions.RetryInitial"/>, doubling each time up to <see cref="AlertOptions.RetryMax"/>,
/// at most <see cref="AlertOptions.MaxAttempts"/> attempts; each failure is logged, and so is giving up.
/// </summary>
internal sealed partial class WebhookDelivery : IAsyncDisposable
{
    private readonly Uri url;
    private readonly AlertOptions settings;
    private readonly Func<HttpClient> client;
    private readonly ResiliencePipeline<string?> retry;
    private readonly ILogger logger;
    private readonly Channel<(Alert Alert, byte[] Body)> queue;
    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;
    private int disposed;

    public WebhookDelivery(Uri url, AlertOptions settings, Func<HttpClient> client, TimeProvider time, ILogger logger)
    {
        this.url = url;
        this.settings = settings;
        this.client = client;
        retry = Retry(url, settings, time, logger);
        this.logger = logger;
        queue = Channel.CreateBounded<(Alert, byte[])>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues one alert; when the queue is full (the receiver has been failing for long), says so in the log.</summary>
    public void Enqueue(Alert alert, byte[] body)
    {
        if (!queue.Writer.TryWrite((alert, body)))
        {
            LogQueueFull(logger, url, settings.QueueCapacity, alert.Experiment, alert.Text);
        }
    }

    public void Start() => loop = Task.Run(() => RunAsync(stopping.Token));

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        using var registration = cancellationToken.Register(() => stopping.Cancel());
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shut down before the queue emptied; what was left is in the log.
        }
    }

    /// <summary>Stops delivery; safe to call more than once (the container disposes each registration of the sink).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        queue.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var (alert, body) in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await DeliverAsync(alert, body, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(Alert alert, byte[] body, CancellationToken cancellationToken)
    {
        var failure = await retry.ExecuteAsync(
            static (state, token) => new ValueTask<string?>(state.self.AttemptAsync(state.body, token)), (self: this, body), cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            LogGaveUp(logger, url, settings.MaxAttempts, failure, alert.Experiment, alert.Text);
        }
    }

    /// <summary>
    /// Up to <see cref="AlertOptions.MaxAttempts"/> attempts, a failed one (a problem, not null) retried after
    /// <see cref="AlertOptions.RetryInitial"/>, doubling up to <see cref="AlertOptions.RetryMax"/>; each retry logged.
    /// </summary>
    private static ResiliencePipeline<string?> Retry(Uri url, AlertOptions settings, TimeProvider time, ILogger logger) =>
        settings.MaxAttempts <= 1 ? ResiliencePipeline<string?>.Empty : new ResiliencePipelineBuilder<string?> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<string?>
            {
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result is not null),
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.RetryInitial,
                MaxDelay = settings.RetryMax,
                UseJitter = false,
                OnRetry = args =>
                {
                    LogRetry(logger, url, args.AttemptNumber + 1, args.Outcome.Result!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>One POST; null when the receiver accepted it, otherwise what went wrong.</summary>
    private async Task<string?> AttemptAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await client().PostAsync(url, content, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {settings.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook {Url} failed (attempt {Attempt}: {Failure}); retrying in {Wait}")]
    private static partial void LogRetry(ILogger logger, Uri url, int attempt, string failure, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert webhook {Url} failed {Attempts} times (last: {Failure}); alert for {Experiment} not delivered: {Text}")]
    private static partial void LogGaveUp(ILogger logger, Uri url, int attempts, string failure, string experiment, string text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert webhook {Url} has {Capacity} alerts waiting; alert for {Experiment} not queued: {Text}")]
    private static partial void LogQueueFull(ILogger logger, Uri url, int capacity, string experiment, string text);
}
