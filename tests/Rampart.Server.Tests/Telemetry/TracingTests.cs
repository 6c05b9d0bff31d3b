using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Server.Telemetry;
using Rampart.Testing;

namespace Rampart.Server.Tests.Telemetry;

public sealed class TracingTests
{
    [Fact]
    public async Task ChatCompletions_EachCall_IsAChatSpanWithGenAiAttributes()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RampartTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim("traced"));

        using var response = await sut.Ingest.PostAsync("/v1/chat/completions",
            TestHost.Json("""{"model":"experiment:traced","user":"u-1","messages":[{"role":"user","content":"hi"}]}"""));

        var requestId = response.Headers.GetValues("X-Rampart-Request-Id").Single();
        // The span ends as the call's handler returns, which may be just after the client has the answer.
        Activity? span = null;
        await Eventually.TrueAsync(() => (span = spans.SingleOrDefault(s => (string?)s.GetTagItem(RampartTelemetry.RequestId) == requestId)) is not null);
        Assert.NotNull(span);
        var variant = response.Headers.GetValues("X-Rampart-Variant").Single();
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.StartsWith("chat sim-", span.DisplayName, StringComparison.Ordinal);
        Assert.Equal("chat", span.GetTagItem(RampartTelemetry.OperationName));
        Assert.Equal("sim", span.GetTagItem(RampartTelemetry.ProviderName));
        Assert.Equal(("traced", variant), (span.GetTagItem(RampartTelemetry.Experiment), span.GetTagItem(RampartTelemetry.Variant)));
        Assert.Equal(120L, span.GetTagItem(RampartTelemetry.UsageInputTokens));
        Assert.Equal(80L, span.GetTagItem(RampartTelemetry.UsageOutputTokens));
    }

    [Fact]
    public async Task WithoutAnOtlpCollector_NoTracerIsRegistered()
    {
        // The test process names no collector (OTEL_EXPORTER_OTLP_ENDPOINT), so spans would leave for nowhere: the
        // server builds none for OpenTelemetry (an in-process listener, as above, still gets them).
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RampartTelemetry.OtlpEndpointVariable)));
        await using var sut = await TestHost.StartAsync();

        Assert.Null(sut.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.NotNull(sut.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }
}
