using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Core.Events;

namespace Rampart.Llm.Remote;

/// <summary>
/// An <see cref="IEventSink"/> that uploads events to a Rampart server's <c>POST /api/events</c> in batches (up to
/// <see cref="RampartClientOptions.MaxBatch"/>, at least every <see cref="RampartClientOptions.FlushInterval"/>). Every
/// event gets a time-ordered id before it is queued, so a batch retried after a lost answer is stored once (the server
/// counts the repeats as duplicates). An unreachable, busy (503, 429, honouring <c>Retry-After</c>) or failing server is
/// retried with backoff, as is a 2xx whose body is not the server's answer (or is longer than its answer can be). An
/// outage (no answer, 502, 503, 504, 429) is waited out however long it lasts, the events waiting in the queue; any other
/// failure gives up after <see cref="RampartClientOptions.MaxAttempts"/>. Events the server rejects as invalid, or that
/// its answer does not account for, are logged and counted in <see cref="Lost"/>, not retried. The queue is bounded by
/// count (<see cref="RampartClientOptions.MaxQueue"/>) and by the bytes of the events' text
/// (<see cref="RampartClientOptions.MaxQueueBytes"/>): beyond either, <see cref="WriteAsync"/> throws. Dispose to send what
/// is queued, for at most <see cref="RampartClientOptions.ShutdownTimeout"/>: what is still unsent then is counted in
/// <see cref="Lost"/> and logged. The posting and its retries are the <see cref="EventUploader"/>'s.
/// </summary>
public sealed partial class RemoteEventSink : IEventSink, IAsyncDisposable, IDisposable
{
    private readonly Channel<ExperimentEvent> queue;
    private readonly EventUploader uploader;
    private readonly RampartClientOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Task sending;
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

        this.options = options;
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<RemoteEventSink>.Instance;
        uploader = new EventUploader(http, options, time);
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
        UploadResult result;
        int attempts;
        var outage = 0;
        while (true)
        {
            try
            {
                (result, attempts) = await uploader.UploadAsync(batch, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Disposed, and the shutdown timeout has passed: counted here, logged once for all when the loop ends.
                Interlocked.Add(ref lost, batch.Count);
                unsent += batch.Count;
                return;
            }

            // An outage (the server unreachable, not answering in time, or saying it is unavailable or busy, itself or
            // through a proxy) is waited out, however long: the events wait in the queue, which MaxQueue and MaxQueueBytes
            // bound, and a restart or a deploy of the server loses nothing. Any other failure gives up after MaxAttempts.
            if (result.Outcome != UploadOutcome.Transient || !IsOutage(result.Status))
            {
                break;
            }

            if (outage++ == 0)
            {
                LogOutage(logger, batch.Count, attempts, result.Text);
            }
        }

        if (outage > 0)
        {
            LogOutageOver(logger);
        }

        switch (result.Outcome)
        {
            case UploadOutcome.Accepted:
                Settle(result.Answer!.Value, batch.Count);
                break;
            case UploadOutcome.TooLarge when batch.Count > 1:
                await SendAsync(batch[..(batch.Count / 2)], stoppingToken).ConfigureAwait(false);
                await SendAsync(batch[(batch.Count / 2)..], stoppingToken).ConfigureAwait(false);
                break;
            case UploadOutcome.Transient:
                Interlocked.Add(ref lost, batch.Count);
                LogGaveUp(logger, batch.Count, attempts, result.Text);
                break;
            default:
                Interlocked.Add(ref lost, batch.Count);
                LogRefused(logger, batch.Count, result.Status, result.Text);
                break;
        }
    }

    // No answer (0: unreachable, timed out), a proxy that could not reach the server (502, 504), or the server saying it
    // is unavailable or busy (503, 429).
    private static bool IsOutage(int status) => status is 0 or 429 or 502 or 503 or 504;

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

    // The event's text as UTF-16, and a fixed allowance for the rest: what holding it costs, whatever the callers' messages.
    private static long SizeOf(ExperimentEvent e) => 256 + (2L * (e.Experiment.Length + e.Variant.Length + e.Unit.Length + (e.Id?.Length ?? 0)
        + (e.RequestId?.Length ?? 0) + (e.Error?.Length ?? 0) + (e.Model?.Length ?? 0) + (e.Input?.Length ?? 0) + (e.Output?.Length ?? 0)
        + (e.Score?.Length ?? 0) + (e.Comment?.Length ?? 0) + (e.Source?.Length ?? 0) + (e.PairId?.Length ?? 0) + (e.Attributes?.Length ?? 0) + (e.Extra?.Length ?? 0)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Rampart server rejected {Rejected} of {Sent} events as invalid; the first: {First}")]
    private static partial void LogInvalid(ILogger logger, int rejected, int sent, string first);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Missing} of {Sent} events are missing from the Rampart server's answer (accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected}) and are lost.")]
    private static partial void LogUnaccounted(ILogger logger, long missing, int sent, long accepted, long duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Rampart server refused {Count} events with HTTP {Status}: {Answer}")]
    private static partial void LogRefused(ILogger logger, int count, int status, string answer);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} events were not sent within the ShutdownTimeout ({Seconds} s) as the sink was disposed, and are lost.")]
    private static partial void LogUnsentAtShutdown(ILogger logger, long count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Rampart server cannot be reached ({Problem}) after {Attempts} attempts; a batch of {Count} events and those queued after it wait, and are sent when it answers.")]
    private static partial void LogOutage(ILogger logger, int count, int attempts, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Rampart server answers again; the waiting events are being sent.")]
    private static partial void LogOutageOver(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} events could not be sent after {Attempts} attempts ({Problem}) and are lost.")]
    private static partial void LogGaveUp(ILogger logger, int count, int attempts, string problem);
}
