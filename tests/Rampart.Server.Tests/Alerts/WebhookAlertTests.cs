using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Core.Alerts;
using Rampart.Testing;

namespace Rampart.Server.Tests.Alerts;

/// <summary>Alert delivery to real webhook receivers on 127.0.0.1, through the real server's <see cref="IAlertSink"/>.</summary>
public sealed class WebhookAlertTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static Alert RollbackAlert(string variant = "variant_b") => new(
        "prompt-opt-v2",
        new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero),
        "rollback",
        variant,
        $"prompt-opt-v2: rolled back {variant}: error rate 9.8% is above the 5% guardrail",
        ImmutableSortedDictionary<string, double>.Empty.Add("error_rate", 0.098).Add("requests", 612));

    // A generous attempt timeout, so a loaded machine cannot turn an answered attempt into a timed-out one; the hanging
    // receiver's test sets a short one.
    private static Task<TestHost> ServerAsync(CapturedLog log, params Uri[] webhooks) => ServerAsync(log, "10s", webhooks);

    private static Task<TestHost> ServerAsync(CapturedLog log, string timeout, params Uri[] webhooks)
    {
        var settings = new Dictionary<string, string?>
        {
            ["alerts:retry_initial"] = "50ms",
            ["alerts:retry_max"] = "200ms",
            ["alerts:max_attempts"] = "4",
            ["alerts:timeout"] = timeout,
        };
        for (var i = 0; i < webhooks.Length; i++)
        {
            settings[$"alerts:webhooks:{i}"] = webhooks[i].ToString();
        }

        return TestHost.StartAsync(settings, services => services.AddLogging(l => l.AddProvider(log)));
    }

    [Fact]
    public async Task Send_ReceiverFailsTwiceThenSucceeds_IsDeliveredOnTheThirdAttemptWithSlackText()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failures: 2);
        using var log = new CapturedLog();
        await using var host = await ServerAsync(log, receiver.Url);

        host.Services.GetRequiredService<IAlertSink>().Send(RollbackAlert());
        await receiver.WaitForAttemptsAsync(3, Patience);
        await Task.Delay(400);   // longer than the next back-off: a fourth attempt would have come by now

        var attempts = receiver.Attempts.ToArray();
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], attempts.Select(a => a.Status));
        var body = attempts[2].Body.RootElement;
        Assert.Equal("prompt-opt-v2: rolled back variant_b: error rate 9.8% is above the 5% guardrail", body.GetProperty("text").GetString());
        Assert.Equal("prompt-opt-v2", body.GetProperty("experiment").GetString());
        Assert.Equal("rollback", body.GetProperty("kind").GetString());
        Assert.Equal("variant_b", body.GetProperty("variant").GetString());
        Assert.Equal(0.098, body.GetProperty("metrics").GetProperty("error_rate").GetDouble());
        Assert.Equal(2, log.Entries.Count(e => e.Message.Contains("failed (attempt", StringComparison.Ordinal)));
        Assert.DoesNotContain(log.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(log.Entries, e => e.Message.Contains("rolled back variant_b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_OneReceiverAlwaysFails_TheOtherGetsEveryAlertAndTheFailureIsLogged()
    {
        await using var failing = await WebhookReceiver.StartAsync(failures: int.MaxValue);
        await using var healthy = await WebhookReceiver.StartAsync();
        using var log = new CapturedLog();
        await using var host = await ServerAsync(log, failing.Url, healthy.Url);
        var sink = host.Services.GetRequiredService<IAlertSink>();

        sink.Send(RollbackAlert("variant_a"));
        sink.Send(RollbackAlert("variant_b"));
        await healthy.WaitForAttemptsAsync(2, Patience);
        await failing.WaitForAttemptsAsync(8, Patience);   // 4 attempts for each of the two alerts
        await Eventually.TrueAsync(() => log.Entries.Count(e => e.Level == LogLevel.Error) == 2);

        Assert.Equal(["variant_a", "variant_b"], healthy.Attempts.Select(a => a.Body.RootElement.GetProperty("variant").GetString()));
        Assert.Equal(8, failing.Attempts.Count);
        Assert.All(log.Entries.Where(e => e.Level == LogLevel.Error), e => Assert.Contains("failed 4 times (last: HTTP 500)", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_ReceiverHangsOrRefuses_ReturnsAtOnceAndLogsEachFailure()
    {
        await using var hanging = await WebhookReceiver.StartAsync(hang: true);
        var refused = new Uri("http://127.0.0.1:1/hook");   // port 1: nothing listens, the connection is refused
        using var log = new CapturedLog();
        await using var host = await ServerAsync(log, "500ms", hanging.Url, refused);
        var sink = host.Services.GetRequiredService<IAlertSink>();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            sink.Send(RollbackAlert());
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"100 sends took {clock.Elapsed}");
        await Eventually.TrueAsync(() => log.Entries.Any(e => e.Message.Contains("no answer within 0.5 s", StringComparison.Ordinal))
            && log.Entries.Any(e => e.Message.Contains("127.0.0.1:1/hook failed", StringComparison.Ordinal)));
    }
}
