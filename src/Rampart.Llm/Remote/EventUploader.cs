using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Rampart.Core.Events;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Remote;

/// <summary>
/// Posts a batch of events to the server's <c>POST /api/events</c>, retrying what is worth another try (see <see cref="Retry"/>)
/// and telling the <see cref="RemoteEventSink"/> what the last attempt came to; what to do with the events is the sink's.
/// </summary>
internal sealed class EventUploader
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    // A server's Retry-After is honoured up to this, so no answer can park the upload (and fill the queue) for hours.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    private readonly HttpClient http;
    private readonly RampartClientOptions options;
    private readonly TimeProvider time;
    private readonly ResiliencePipeline<UploadResult> retry;

    public EventUploader(HttpClient http, RampartClientOptions options, TimeProvider time)
    {
        this.http = http;
        this.options = options;
        this.time = time;
        retry = Retry(options, time);
    }

    /// <summary>
    /// The most bytes of the server's answer to <paramref name="events"/> events that are read: 1 MiB, and 1 KiB more per event.
    /// The server's answer is two counts and one entry per rejected event (its position, the field, and a reason of a
    /// sentence naming the event's experiment and variant), so even a batch whose every event is rejected is answered well
    /// within it; a longer answer is not the server's (a proxy's page, a body that never ends) and is not held in memory.
    /// </summary>
    private static long AnswerLimit(int events) => (1L << 20) + (1024L * events);

    /// <summary>Posts the batch until it is accepted, refused, or every attempt failed; an <see cref="OperationCanceledException"/> when <paramref name="stoppingToken"/> ends it first.</summary>
    public async Task<(UploadResult Result, int Attempts)> UploadAsync(IReadOnlyList<ExperimentEvent> batch, CancellationToken stoppingToken)
    {
        var body = JsonLines(batch);
        var answerLimit = AnswerLimit(batch.Count);
        var attempts = 0;
        var result = await retry.ExecuteAsync(
            async token =>
            {
                attempts++;
                return await AttemptAsync(body, answerLimit, token).ConfigureAwait(false);
            },
            stoppingToken).ConfigureAwait(false);
        return (result, attempts);
    }

    /// <summary>One POST of the batch: accepted, refused for good (or too large), or worth another try.</summary>
    private async Task<UploadResult> AttemptAsync(byte[] body, long answerLimit, CancellationToken cancellationToken)
    {
        // The answer is read as it comes, to stop at its limit, and HttpClient.Timeout covers only the wait for its headers:
        // the whole attempt gets that time, so a server that trickles its answer cannot hold the upload.
        using var deadline = new CancellationTokenSource(http.Timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Resolve("api/events"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-ndjson") } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                // A 2xx that is not the server's answer (a proxy's page, a cut-off body, one too long to be an answer) says
                // nothing of what was stored; the events carry their ids, so sending them again is safe.
                var answer = await BoundedContent.ReadAsync(response.Content, answerLimit, attempt.Token).ConfigureAwait(false);
                var text = answer is null ? null : Text(answer);
                return text is null ? new(UploadOutcome.Transient, status, $"HTTP {status} with an answer over {answerLimit} bytes, which is not the server's", null)
                    : EventsAnswer.TryRead(text) is { } read ? new(UploadOutcome.Accepted, status, text, null, read)
                    : new(UploadOutcome.Transient, status, $"HTTP {status} with an answer that is not the server's: {Shorten(text)}", null);
            }

            var (start, _) = await BoundedContent.ReadPrefixAsync(response.Content, answerLimit, attempt.Token).ConfigureAwait(false);
            var problem = Text(start);
            return response.StatusCode == HttpStatusCode.RequestEntityTooLarge ? new(UploadOutcome.TooLarge, status, problem, null)
                : IsTransient(response.StatusCode) ? new(UploadOutcome.Transient, status, $"HTTP {status}", response.Headers.RetryAfter?.Delta)
                : new(UploadOutcome.Refused, status, problem, null);
        }
#pragma warning disable CA1031 // Whatever fails one attempt (the network, an unreadable answer) is worth another; it must not end the upload.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            var problem = deadline.IsCancellationRequested ? $"no whole answer within HttpClient.Timeout ({http.Timeout.TotalSeconds} s)" : e.Message;
            return new(UploadOutcome.Transient, 0, problem, null);
        }
    }

    /// <summary>The events as the JSON Lines body of one upload.</summary>
    private static byte[] JsonLines(IReadOnlyList<ExperimentEvent> batch)
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

    /// <summary>
    /// Up to <see cref="RampartClientOptions.MaxAttempts"/> attempts; a transient failure is retried after
    /// <see cref="RampartClientOptions.RetryDelay"/>, doubling up to 10 s, or after the server's <c>Retry-After</c> when longer (at most a minute).
    /// </summary>
    private static ResiliencePipeline<UploadResult> Retry(RampartClientOptions options, TimeProvider time) =>
        options.MaxAttempts <= 1 ? ResiliencePipeline<UploadResult>.Empty : new ResiliencePipelineBuilder<UploadResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<UploadResult>
            {
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is null && args.Outcome.Result.Outcome == UploadOutcome.Transient),
                MaxRetryAttempts = options.MaxAttempts - 1,
                DelayGenerator = args =>
                {
                    var backoff = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, options.RetryDelay.Ticks << Math.Min(args.AttemptNumber, 16)));
                    return new ValueTask<TimeSpan?>(args.Outcome.Result.RetryAfter is { } after && after > backoff ? (after < MaxRetryAfter ? after : MaxRetryAfter) : backoff);
                },
            })
            .Build();

    // As HttpContent.ReadAsStringAsync read it: UTF-8, without its byte order mark.
    private static string Text(byte[] utf8) =>
        Encoding.UTF8.GetString(utf8.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? utf8.AsSpan(Encoding.UTF8.Preamble.Length) : utf8);

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
}
