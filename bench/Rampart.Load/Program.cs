using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using HdrHistogram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// bench/load/run.sh drives these:
//   upstream URL                                    a fake OpenAI chat completions endpoint answering at once
//   pace URL KEY RATE SECONDS                       POSTs a chat completion to URL at RATE per second (open loop),
//                                                   prints latency percentiles (µs, from each request's planned start)
//   pair DIRECT_URL GATEWAY_URL KEY RATE SECONDS    the same at RATE per second to each, interleaved (direct, gateway, direct, …),
//                                                   so both see the same moments of the machine; prints both and the differences
//   events URL KEY EXPERIMENT BATCHES BATCH_SIZE CONCURRENCY [ID_PREFIX [CONTENT_BYTES]]   POSTs JSON Lines batches (ids
//                                                   ID_PREFIX-…, default ev; each completion with an input of CONTENT_BYTES
//                                                   and an output of a quarter of that, default none), prints events/s acknowledged
//   copy CONNSTRING BATCHES BATCH_SIZE CONCURRENCY  binary COPY of the same rows into a table shaped like Rampart's events
//                                                   (RawCopy), one transaction a batch, prints rows/s committed
return args.FirstOrDefault() switch
{
    "pair" => await Pair(new Uri(args[1]), new Uri(args[2]), args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture)),
    "upstream" => await Upstream(args[1]),
    "pace" => await Pace(new Uri(args[1]), args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)),
    "events" => await Events(new Uri(args[1]), args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture), args.ElementAtOrDefault(7) ?? "ev", int.Parse(args.ElementAtOrDefault(8) ?? "0", CultureInfo.InvariantCulture)),
    "copy" => await RawCopy.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Rampart.Load upstream URL | pace URL KEY RATE SECONDS | pair DIRECT_URL GATEWAY_URL KEY RATE SECONDS | events URL KEY EXPERIMENT BATCHES BATCH_SIZE CONCURRENCY [ID_PREFIX [CONTENT_BYTES]] | copy CONNSTRING BATCHES BATCH_SIZE CONCURRENCY");
    return 2;
}

static async Task<int> Upstream(string url)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    var app = builder.Build();
    app.Urls.Add(url);
    var answer = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-bench","object":"chat.completion","created":1764000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Your order ships tomorrow."},"finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":6,"total_tokens":27}}
        """);
    app.MapPost("/v1/chat/completions", async (HttpContext context) =>
    {
        // Read the request whole, as a real upstream would.
        var buffer = new byte[4096];
        while (await context.Request.Body.ReadAsync(buffer) > 0)
        {
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer);
    });
    await app.RunAsync();
    return 0;
}

static async Task<int> Pace(Uri url, string key, int rate, int seconds)
{
    var (histograms, sent, errors, total) = await Paced([url], key, rate, seconds);
    var histogram = histograms[0];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"requests={total} errors={errors} rate={rate}/s p50_us={histogram.GetValueAtPercentile(50)} p90_us={histogram.GetValueAtPercentile(90)} p99_us={histogram.GetValueAtPercentile(99)} p999_us={histogram.GetValueAtPercentile(99.9)} max_us={histogram.GetMaxValue()} sent_p50_us={sent[0].GetValueAtPercentile(50)} sent_p99_us={sent[0].GetValueAtPercentile(99)}"));
    return errors == 0 ? 0 : 1;
}

static async Task<int> Pair(Uri direct, Uri gateway, string key, int rate, int seconds)
{
    var (histograms, sent, errors, total) = await Paced([direct, gateway], key, rate, seconds);
    long At(int which, double percentile) => histograms[which].GetValueAtPercentile(percentile);
    long Sent(int which, double percentile) => sent[which].GetValueAtPercentile(percentile);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"requests={total} errors={errors} rate={rate}/s each direct_p50_us={At(0, 50)} direct_p99_us={At(0, 99)} gateway_p50_us={At(1, 50)} gateway_p99_us={At(1, 99)} added_p50_us={At(1, 50) - At(0, 50)} added_p99_us={At(1, 99) - At(0, 99)} sent_direct_p50_us={Sent(0, 50)} sent_direct_p99_us={Sent(0, 99)} sent_gateway_p50_us={Sent(1, 50)} sent_gateway_p99_us={Sent(1, 99)} sent_added_p50_us={Sent(1, 50) - Sent(0, 50)} sent_added_p99_us={Sent(1, 99) - Sent(0, 99)}"));
    return errors == 0 ? 0 : 1;
}

// POSTs a chat completion to each of urls at rate per second, taking them in turn (open loop: no request waits for
// another's answer); per url two latency histograms (µs): from each request's planned start, so stalls are not hidden, and
// from the moment it was handed to HttpClient ("sent"), which leaves out how late this process itself got round to sending
// it (its timer and thread pool: 1–3 ms at times on 2 shared cores, alike for both urls, but not the same requests).
static async Task<(LongHistogram[] Histograms, LongHistogram[] Sent, int Errors, int Total)> Paced(Uri[] urls, string key, int rate, int seconds)
{
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromSeconds(10) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    var histograms = urls.Select(_ => new LongHistogram(60_000_000, 3)).ToArray();
    var sent = urls.Select(_ => new LongHistogram(60_000_000, 3)).ToArray();
    var gate = new object();
    var errors = 0;
    var total = urls.Length * rate * seconds;
    var inflight = new List<Task>(total);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < total; i++)
    {
        var planned = TimeSpan.FromSeconds((double)i / (urls.Length * rate));
        var wait = planned - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }

        var n = i;
        inflight.Add(Task.Run(async () =>
        {
            var which = n % urls.Length;
            var body = $$"""{"model":"experiment:bench","user":"user-{{n / urls.Length % 10000}}","messages":[{"role":"user","content":"Where is my order?"}]}""";
            var ok = false;
            var sentAt = clock.Elapsed;
            try
            {
                using var response = await client.PostAsync(urls[which], new StringContent(body, Encoding.UTF8, "application/json"));
                await response.Content.ReadAsByteArrayAsync();
                ok = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            var end = clock.Elapsed;
            var latencyUs = (long)((end - planned).TotalMilliseconds * 1000);
            var sentUs = (long)((end - sentAt).TotalMilliseconds * 1000);
            lock (gate)
            {
                if (ok)
                {
                    histograms[which].RecordValue(Math.Max(1, latencyUs));
                    sent[which].RecordValue(Math.Max(1, sentUs));
                }
                else
                {
                    errors++;
                }
            }
        }));
    }

    await Task.WhenAll(inflight);
    return (histograms, sent, errors, total);
}

static async Task<int> Events(Uri url, string key, string experiment, int batches, int batchSize, int concurrency, string idPrefix, int contentBytes)
{
    // Logged content, as the gateway stores with logging.content "full": an input of contentBytes, an output a quarter of it.
    var content = contentBytes == 0 ? "" :
        $",\"input\":\"{new string('i', contentBytes)}\",\"output\":\"{new string('o', contentBytes / 4)}\"";
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    var bodies = Enumerable.Range(0, batches).Select(b =>
    {
        var text = new StringBuilder(batchSize * (220 + content.Length));
        for (var i = 0; i < batchSize; i++)
        {
            var variant = i % 5 == 0 ? "variant_a" : "control";
            text.Append(CultureInfo.InvariantCulture,
                $$"""{"type":"completion","experiment":"{{experiment}}","variant":"{{variant}}","unit":"u-{{i % 997}}","ts":"2026-11-01T10:00:00Z","id":"{{idPrefix}}-{{b:D6}}-{{i:D5}}","latency_ms":812.5,"prompt_tokens":120,"completion_tokens":80,"cost_usd":0.0084{{content}}}""").Append('\n');
        }

        // Encoded once, up front: a client that posts the same text again would not pay for its UTF-8 encoding in the
        // measured seconds, on the cores the server and PostgreSQL share with it.
        return Encoding.UTF8.GetBytes(text.ToString());
    }).ToArray();
    var next = -1;
    long accepted = 0;
    var failures = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int b;
        while ((b = Interlocked.Increment(ref next)) < batches)
        {
            using var body = new ByteArrayContent(bodies[b]);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson", "utf-8");
            using var response = await client.PostAsync(url, body);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Add(ref accepted, batchSize);
            }
            else
            {
                Interlocked.Increment(ref failures);
            }
        }
    })));
    var elapsed = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"events={accepted} batches={batches} batch_size={batchSize} concurrency={concurrency} failed_batches={failures} seconds={elapsed:F2} events_per_s={accepted / elapsed:F0}"));
    return failures == 0 ? 0 : 1;
}
