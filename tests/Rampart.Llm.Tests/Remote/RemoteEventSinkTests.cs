using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Llm.Remote;
using Rampart.Llm.Tests.Fakes;
using Rampart.Testing;

namespace Rampart.Llm.Tests.Remote;

/// <summary>The remote event sink against a server on 127.0.0.1 that answers as the test says, as servers and proxies can.</summary>
public sealed class RemoteEventSinkTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly ListLogger<RemoteEventSink> logger = new() { Minimum = LogLevel.Warning };

    [Fact]
    public async Task WriteAsync_AnswerIsNotTheServers_RetriedAndLaterEventsStillSent()
    {
        var answered = 0;
        await using var server = await FakeUpstream.StartAsync(context => Interlocked.Increment(ref answered) == 1
            ? context.Response.WriteAsync("<html>Welcome to the proxy</html>")
            : Accept(context, Lines(context)));
        var sut = new RemoteEventSink(new HttpClient(), Options(server.BaseUrl), logger: logger);

        await sut.WriteAsync(Event("u1"));
        await sut.FlushAsync().WaitAsync(Bound);
        await sut.WriteAsync(Event("u2"));
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(3, server.Requests.Count);
        Assert.Contains("\"unit\":\"u2\"", Encoding.UTF8.GetString(server.Requests.Last().Body), StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (sut.Lost, sut.Pending));
    }

    [Fact]
    public async Task WriteAsync_AnswerLongerThanTheBound_NotTakenAsTheServersAndRetried()
    {
        // The server's answer padded to 2 MiB: valid JSON, but no answer to one event is that long, so it is not read.
        var answered = 0;
        await using var server = await FakeUpstream.StartAsync(context => Interlocked.Increment(ref answered) == 1
            ? Answer(context, """{"accepted":1,"duplicates":0,"rejected":[]}""" + new string(' ', 2 << 20))
            : Accept(context, Lines(context)));
        var sut = new RemoteEventSink(new HttpClient(), Options(server.BaseUrl), logger: logger);

        await sut.WriteAsync(Event("u1"));
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal((0L, 0L), (sut.Lost, sut.Pending));
    }

    [Theory]
    [InlineData(StatusCodes.Status503ServiceUnavailable)]
    [InlineData(StatusCodes.Status502BadGateway)]
    [InlineData(0)]
    public async Task WriteAsync_OutageLongerThanEveryAttempt_WaitedOutAndNothingLost(int status)
    {
        // Before: after MaxAttempts (about 23 s at the defaults) the batch was dropped, so a server restart or deploy that took
        // longer lost the events. 0: the connection is dropped without an answer.
        var answered = 0;
        await using var server = await FakeUpstream.StartAsync(context =>
        {
            if (Interlocked.Increment(ref answered) > 10)
            {
                return Accept(context, Lines(context));
            }

            if (status == 0)
            {
                context.Abort();
                return Task.CompletedTask;
            }

            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        var sut = new RemoteEventSink(new HttpClient(), Options(server.BaseUrl), logger: logger);

        await sut.WriteAsync(Event("u1"));
        await sut.FlushAsync().WaitAsync(Bound);
        await sut.WriteAsync(Event("u2"));
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        // 10 failed attempts (over more than three rounds of MaxAttempts 3), then u1, then u2.
        Assert.True(server.Requests.Count >= 12, $"{server.Requests.Count} requests");
        Assert.Contains("\"unit\":\"u1\"", Encoding.UTF8.GetString(server.Requests.ToArray()[^2].Body), StringComparison.Ordinal);
        Assert.Contains("\"unit\":\"u2\"", Encoding.UTF8.GetString(server.Requests.ToArray()[^1].Body), StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (sut.Lost, sut.Pending));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("The Rampart server cannot be reached", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("The Rampart server answers again", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task WriteAsync_ServerFailsWith500EveryTime_GivenUpAfterMaxAttempts()
    {
        // A 500 may be this batch's doing: it is not waited out, so one batch cannot hold up every later one.
        await using var server = await FakeUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        var sut = new RemoteEventSink(new HttpClient(), Options(server.BaseUrl), logger: logger);

        await sut.WriteAsync(Event("u1"));
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal((3, 1L), (server.Requests.Count, sut.Lost));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_EveryAnswerLongerThanTheBound_GivenUpSayingWhy()
    {
        await using var server = await FakeUpstream.StartAsync(context => Answer(context, new string('x', 2 << 20)));
        var sut = new RemoteEventSink(new HttpClient(), Options(server.BaseUrl), logger: logger);

        await sut.WriteAsync(Event("u1"));
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal((3, 1L), (server.Requests.Count, sut.Lost));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("HTTP 200 with an answer over", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_AnswerStartsButNeverEnds_EachAttemptEndsAtTheHttpClientTimeout()
    {
        await using var server = await FakeUpstream.StartAsync(async context =>
        {
            await context.Response.WriteAsync("""{"accepted":""");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var options = Options(server.BaseUrl);
        options.ShutdownTimeout = TimeSpan.FromSeconds(2);
        var sut = new RemoteEventSink(new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) }, options, logger: logger);

        await sut.WriteAsync(Event("u1"));
        await Eventually.TrueAsync(() => server.Requests.Count >= 3);
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        // No whole answer in time is an outage: waited out until the sink is disposed (each attempt ending at the timeout:
        // at most about ShutdownTimeout / Timeout of them), then counted.
        Assert.InRange(server.Requests.Count, 3, 12);
        Assert.Equal(1L, sut.Lost);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("HttpClient.Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_AnswerAccountsForFewerEventsThanSent_TheRestCountedLostAndLogged()
    {
        await using var server = await FakeUpstream.StartAsync(context => Accept(context, 1));
        var options = Options(server.BaseUrl);
        options.FlushInterval = TimeSpan.FromSeconds(1);
        var sut = new RemoteEventSink(new HttpClient(), options, logger: logger);

        foreach (var unit in new[] { "u1", "u2", "u3" })
        {
            await sut.WriteAsync(Event(unit));
        }

        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(3, Encoding.UTF8.GetString(server.SingleRequest.Body).Count(c => c == '\n'));
        Assert.Equal(2, sut.Lost);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("2 of 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_ServerHangsAndEventsAreLarge_RefusedOnceTheQueuedBytesReachTheBound()
    {
        await using var server = await FakeUpstream.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var sut = new RemoteEventSink(new HttpClient(), Options(server.BaseUrl), logger: logger);
        var output = new string('x', 1 << 20);

        var taken = 0;
        InvalidOperationException? refused = null;
        while (refused is null && taken < 100)
        {
            try
            {
                await sut.WriteAsync(Event($"u{taken}") with { Output = output });
                taken++;
            }
            catch (InvalidOperationException e)
            {
                refused = e;
            }
        }

        // 64 MiB by default, each event's text counted as UTF-16: about 32 events of a million characters.
        Assert.InRange(taken, 30, 32);
        Assert.Contains("MaxQueueBytes", refused!.Message, StringComparison.Ordinal);
        await server.DisposeAsync();
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task DisposeAsync_ServerUnreachable_GivesUpAfterTheShutdownTimeoutCountingWhatIsLeft()
    {
        var time = new FakeTimeProvider(SeedExperiment.Epoch);
        var options = Options(new Uri($"http://127.0.0.1:{LoopbackApp.ClosedPort()}/"));
        (options.MaxBatch, options.MaxAttempts, options.RetryDelay) = (1, 8, TimeSpan.FromSeconds(1));
        var sut = new RemoteEventSink(new HttpClient(), options, time, logger);
        foreach (var unit in new[] { "u1", "u2", "u3" })
        {
            await sut.WriteAsync(Event(unit));
        }

        var disposing = sut.DisposeAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(10)); // the default ShutdownTimeout

        await disposing.WaitAsync(Bound);
        Assert.Equal((3L, 0L), (sut.Lost, sut.Pending));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith("3 events", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.WriteAsync(Event("u4")).AsTask());
    }

    [Fact]
    public async Task WriteAsync_BaseAddressWithAPathButNoTrailingSlash_PostsUnderThatPath()
    {
        await using var server = await FakeUpstream.StartAsync(context =>
        {
            if (context.Request.Path == "/rampart/api/events")
            {
                return Accept(context, Lines(context));
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        var sut = new RemoteEventSink(new HttpClient(), Options(new Uri(server.BaseUrl, "rampart")), logger: logger);

        await sut.WriteAsync(Event("u1"));
        await sut.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(("/rampart/api/events", 0L), (server.SingleRequest.Path, sut.Lost));
    }

    private static RampartClientOptions Options(Uri server) =>
        new() { BaseAddress = server, ApiKey = "key", FlushInterval = TimeSpan.FromMilliseconds(20), MaxAttempts = 3, RetryDelay = TimeSpan.Zero };

    private static ExperimentEvent Event(string unit) =>
        new() { Type = EventType.Exposure, Experiment = "exp", Variant = "control", Unit = unit, Ts = SeedExperiment.Epoch };

    private static int Lines(HttpContext context) => FakeUpstream.RequestOf(context).Body.Count(b => b == (byte)'\n');

    private static Task Accept(HttpContext context, int accepted) =>
        Answer(context, $$"""{"accepted":{{accepted}},"duplicates":0,"rejected":[]}""");

    private static Task Answer(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }
}
