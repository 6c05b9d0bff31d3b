using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Rampart.Core.Events;

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
    private readonly ResiliencePipeline<UploadResult> retry;

    public EventUploader(HttpClient http, RampartClientOptions options, TimeProvider time)
    {
        this.http = http;
        this.options = options;
        retry = Retry(options, time);
    }

    /// <summary>The events as the JSON Lines body of one upload.</summary>
    public static byte[] JsonLines(IReadOnlyList<ExperimentEvent> batch)
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

    /// <summary>Posts <paramref name="body"/> until it is accepted, refused, or every attempt failed; an <see cref="OperationCanceledException"/> when <paramref name="stoppingToken"/> ends it first.</summary>
    public async Task<(UploadResult Result, int Attempts)> UploadAsync(byte[] body, CancellationToken stoppingToken)
    {
        var attempts = 0;
        var result = await retry.ExecuteAsync(
            async token =>
            {
                attempts++;
                return await AttemptAsync(body, token).ConfigureAwait(false);
            },
            stoppingToken).ConfigureAwait(false);
        return (result, attempts);
    }

    /// <summary>One POST of the batch: accepted, refused for good (or too large), or worth another try.</summary>
    private async Task<UploadResult> AttemptAsync(byte[] body, CancellationToken cancellationToken)
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
                    ? new(UploadOutcome.Accepted, status, text, null, answer)
                    : new(UploadOutcome.Transient, status, $"HTTP {status} with an answer that is not the server's: {Shorten(text)}", null)
                : response.StatusCode == HttpStatusCode.RequestEntityTooLarge ? new(UploadOutcome.TooLarge, status, text, null)
                : IsTransient(response.StatusCode) ? new(UploadOutcome.Transient, status, $"HTTP {status}", response.Headers.RetryAfter?.Delta)
                : new(UploadOutcome.Refused, status, text, null);
        }
#pragma warning disable CA1031 // Whatever fails one attempt (the network, an unreadable answer) is worth another; it must not end the upload.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new(UploadOutcome.Transient, 0, e.Message, null);
        }
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

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
}
