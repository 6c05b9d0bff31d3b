using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Rampart.Core.Events;

namespace Rampart.Llm.Remote;

/// <summary>
/// An <see cref="IEventSink"/> that uploads events to a Rampart server's <c>POST /api/events</c> in batches (up to
/// <see cref="RampartClientOptions.MaxBatch"/>, at least every <see cref="RampartClientOptions.FlushInterval"/>). Every
/// event gets a time-ordered id before it is queued, so a batch retried after a lost answer is stored once (the server
/// counts the repeats as duplicates). An unreachable, busy (503, 429, honouring <c>Retry-After</c>) or failing server is
/// retried with backoff, as is a 2xx whose body is not the server's answer; events the server rejects as invalid, or that
/// its answer does not account for, are logged and counted in <see cref="Lost"/>, not retried. The queue is bounded by
/// count (<see cref="RampartClientOptions.MaxQueue"/>) and by the bytes of the events' text
/// (<see cref="RampartClientOptions.MaxQueueBytes"/>): beyond either, <see cref="WriteAsync"/> throws. Dispose to send what
/// is queued, for at most <see cref="RampartClientOptions.ShutdownTimeout"/>: what is still unsent then is counted in
/// <see cref="Lost"/> and logged.
/// </summary>
public sealed partial class RemoteEventSink : IEventSink, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    // A server's Retry-After is honoured up to this, so no answer can park the upload (and fill the queue) for hours.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);
    private readonly Channel<ExperimentEvent> queue;
    private readonly HttpClient http;
    private readonly RampartClientOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Task sending;
    private readonly ResiliencePipeline<SendResult> retry;
    private readonly CancellationTokenSource stopping = new();
    private long pending;
    private long bytes;
    private long lost;
    private long unsent;
    private volatile bool disposed;

    /// <summary>Starts uploading through <paramref name="http"/> to the server <paramref name="options"/> names.</summary>
    public RemoteEventSink(HttpClient http, RampartClientOptions options, TimeProvider? timeProvider = null, ILogger<RemoteEventSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        this.http = http;
        this.options = options;
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<RemoteEventSink>.Instance;
        retry = Retry(options, time);
        queue = Channel.CreateBounded<ExperimentEvent>(new BoundedChannelOptions(options.MaxQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        sending = Task.Run(SendLoopAsync);
    }

    /// <summary>Events queued or being sent.</summary>
    public long Pending => Interlocked.Read(ref pending);

    /// <summary>Events given up on (rejected as invalid, still failing after every attempt, or unsent at shutdown).</summary>
    public long Lost => Interlocked.Read(ref lost);

    /// <summary>The bytes the queued and sending events' text takes (UTF-16), against <see cref="RampartClientOptions.MaxQueueBytes"/>.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <inheritdoc />
    public ValueTask WriteAsync(ExperimentEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        ObjectDisposedException.ThrowIf(disposed, this);
        var withId = e.Id is null ? e with { Id = TimeOrderedId.New(time.GetUtcNow()) } : e;
        var size = SizeOf(withId);
        if (Interlocked.Add(ref bytes, size) > options.MaxQueueBytes)
        {
            Interlocked.Add(ref bytes, -size);
            throw new InvalidOperationException($"Rampart's upload queue is full (MaxQueueBytes: {options.MaxQueueBytes} bytes of events waiting); the server at {options.BaseAddress} is not keeping up or not reachable.");
        }

        Interlocked.Increment(ref pending);
        if (!queue.Writer.TryWrite(withId))
        {
            Interlocked.Decrement(ref pending);
            Interlocked.Add(ref bytes, -size);
            ObjectDisposedException.ThrowIf(disposed, this);
            throw new InvalidOperationException($"Rampart's upload queue is full ({options.MaxQueue} events waiting); the server at {options.BaseAddress} is not keeping up or not reachable.");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until every event queued so far was sent (or given up on).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (Pending > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops taking events and sends what is queued, for at most <see cref="RampartClientOptions.ShutdownTimeout"/>: a host
    /// that stops during an outage must not wait for it. What is unsent then is counted in <see cref="Lost"/> and logged.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        disposed = true;
        queue.Writer.TryComplete();
        using (time.CreateTimer(_ => stopping.Cancel(), null, options.ShutdownTimeout, Timeout.InfiniteTimeSpan))
        {
            await sending.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// As <see cref="DisposeAsync"/>, blocking: a service provider disposed synchronously (<c>using var provider = …</c>)
    /// disposes its singletons this way, and throws for one that is only asynchronously disposable.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task SendLoopAsync()
    {
        var batch = new List<ExperimentEvent>(options.MaxBatch);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var deadline = time.GetTimestamp();
            while (batch.Count < options.MaxBatch)
            {
                if (queue.Reader.TryRead(out var e))
                {
                    batch.Add(e);
                    continue;
                }

                var left = options.FlushInterval - time.GetElapsedTime(deadline);
                if (left <= TimeSpan.Zero || queue.Reader.Completion.IsCompleted)
                {
                    break;
                }

                using var wait = new CancellationTokenSource(left, time);
                try
                {
                    if (!await queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            try
            {
                await SendAsync(batch, stopping.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Nothing may end this loop: every later event would wait in the queue, unsent and uncounted.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.Add(ref lost, batch.Count);
                LogGaveUp(logger, batch.Count, 1, e.Message);
            }

            Interlocked.Add(ref pending, -batch.Count);
            Interlocked.Add(ref bytes, -batch.Sum(SizeOf));
            batch.Clear();
        }

        if (unsent > 0)
        {
            LogUnsentAtShutdown(logger, unsent, options.ShutdownTimeout.TotalSeconds);
        }
    }

    private async Task SendAsync(List<ExperimentEvent> batch, CancellationToken stoppingToken)
    {
        var body = JsonLines(batch);
        var attempts = 0;
        SendResult result;
        try
        {
            result = await retry.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await AttemptAsync(body, token).ConfigureAwait(false);
                },
                stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Disposed, and the shutdown timeout has passed: counted here, logged once for all when the loop ends.
            Interlocked.Add(ref lost, batch.Count);
            unsent += batch.Count;
            return;
        }

        switch (result.Kind)
        {
            case SendKind.Accepted:
                Settle(result.Answer!.Value, batch.Count);
                break;
            case SendKind.TooLarge when batch.Count > 1:
                await SendAsync(batch[..(batch.Count / 2)], stoppingToken).ConfigureAwait(false);
                await SendAsync(batch[(batch.Count / 2)..], stoppingToken).ConfigureAwait(false);
                break;
            case SendKind.Transient:
                Interlocked.Add(ref lost, batch.Count);
                LogGaveUp(logger, batch.Count, attempts, result.Text);
                break;
            default:
                Interlocked.Add(ref lost, batch.Count);
                LogRefused(logger, batch.Count, result.Status, result.Text);
                break;
        }
    }

    /// <summary>One POST of the batch: accepted, refused for good (or too large), or worth another try.</summary>
    private async Task<SendResult> AttemptAsync(byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Resolve("api/events"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-ndjson") } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            // A 2xx that is not the server's answer (a proxy's page, a cut-off body) says nothing of what was stored; the
            // events carry their ids, so sending them again is safe.
            return response.IsSuccessStatusCode ? EventsAnswer.TryRead(text) is { } answer
                    ? new(SendKind.Accepted, status, text, null, answer)
                    : new(SendKind.Transient, status, $"HTTP {status} with an answer that is not the server's: {Shorten(text)}", null)
                : response.StatusCode == HttpStatusCode.RequestEntityTooLarge ? new(SendKind.TooLarge, status, text, null)
                : IsTransient(response.StatusCode) ? new(SendKind.Transient, status, $"HTTP {status}", response.Headers.RetryAfter?.Delta)
                : new(SendKind.Refused, status, text, null);
        }
#pragma warning disable CA1031 // Whatever fails one attempt (the network, an unreadable answer) is worth another; it must not end the upload.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new(SendKind.Transient, 0, e.Message, null);
        }
    }

    /// <summary>
    /// Up to <see cref="RampartClientOptions.MaxAttempts"/> attempts; a transient failure is retried after
    /// <see cref="RampartClientOptions.RetryDelay"/>, doubling up to 10 s, or after the server's <c>Retry-After</c> when longer (at most a minute).
    /// </summary>
    private static ResiliencePipeline<SendResult> Retry(RampartClientOptions options, TimeProvider time) =>
        options.MaxAttempts <= 1 ? ResiliencePipeline<SendResult>.Empty : new ResiliencePipelineBuilder<SendResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<SendResult>
            {
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is null && args.Outcome.Result.Kind == SendKind.Transient),
                MaxRetryAttempts = options.MaxAttempts - 1,
                DelayGenerator = args =>
                {
                    var backoff = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, options.RetryDelay.Ticks << Math.Min(args.AttemptNumber, 16)));
                    return new ValueTask<TimeSpan?>(args.Outcome.Result.RetryAfter is { } after && after > backoff ? (after < MaxRetryAfter ? after : MaxRetryAfter) : backoff);
                },
            })
            .Build();

    // The events the answer rejects, and any it does not account for at all, are lost.
    private void Settle(EventsAnswer answer, int sent)
    {
        if (answer.Rejected > 0)
        {
            Interlocked.Add(ref lost, answer.Rejected);
            LogInvalid(logger, answer.Rejected, sent, answer.FirstRejected ?? "");
        }

        var missing = sent - answer.Accepted - answer.Duplicates - answer.Rejected;
        if (missing > 0)
        {
            Interlocked.Add(ref lost, missing);
            LogUnaccounted(logger, missing, sent, answer.Accepted, answer.Duplicates, answer.Rejected);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");

    // The event's text as UTF-16, and a fixed allowance for the rest: what holding it costs, whatever the callers' messages.
    private static long SizeOf(ExperimentEvent e) => 256 + (2L * (e.Experiment.Length + e.Variant.Length + e.Unit.Length + (e.Id?.Length ?? 0)
        + (e.RequestId?.Length ?? 0) + (e.Error?.Length ?? 0) + (e.Model?.Length ?? 0) + (e.Input?.Length ?? 0) + (e.Output?.Length ?? 0)
        + (e.Score?.Length ?? 0) + (e.Comment?.Length ?? 0) + (e.Source?.Length ?? 0) + (e.PairId?.Length ?? 0) + (e.Attributes?.Length ?? 0) + (e.Extra?.Length ?? 0)));

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private static byte[] JsonLines(List<ExperimentEvent> batch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventLineWriter.Encoder, SkipValidation = true }))
        {
            foreach (var e in batch)
            {
                EventLineWriter.Write(writer, e);
                writer.Flush();
                writer.Reset();
                buffer.WriteByte((byte)'\n');
            }
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Rampart server rejected {Rejected} of {Sent} events as invalid; the first: {First}")]
    private static partial void LogInvalid(ILogger logger, int rejected, int sent, string first);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Missing} of {Sent} events are missing from the Rampart server's answer (accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected}) and are lost.")]
    private static partial void LogUnaccounted(ILogger logger, long missing, int sent, long accepted, long duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Rampart server refused {Count} events with HTTP {Status}: {Answer}")]
    private static partial void LogRefused(ILogger logger, int count, int status, string answer);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} events were not sent within the ShutdownTimeout ({Seconds} s) as the sink was disposed, and are lost.")]
    private static partial void LogUnsentAtShutdown(ILogger logger, long count, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} events could not be sent after {Attempts} attempts ({Problem}) and are lost.")]
    private static partial void LogGaveUp(ILogger logger, int count, int attempts, string problem);

    private enum SendKind
    {
        Accepted,
        TooLarge,
        Transient,
        Refused,
    }

    /// <summary>What one POST came to: the HTTP status (0 when none), the answer or problem, the server's Retry-After, and the answer read when accepted.</summary>
    private readonly record struct SendResult(SendKind Kind, int Status, string Text, TimeSpan? RetryAfter, EventsAnswer? Answer = null);
}
