using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rampart.Server.Events;

namespace Rampart.Server.Telemetry;

/// <summary>Metrics for Prometheus, and spans for an OTLP collector when one is named.</summary>
internal static class TelemetryServices
{
    /// <summary>Adds <see cref="ServerMetrics"/> (also as the event writer's <see cref="IEventMetrics"/>), its labels and OpenTelemetry.</summary>
    public static IServiceCollection AddRampartTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<MetricLabels>();
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<IEventMetrics>(sp => sp.GetRequiredService<ServerMetrics>());
        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(RampartTelemetry.MeterName, RampartTelemetry.AspNetCoreHostingMeter, RampartTelemetry.RuntimeMeter)
                .AddPrometheusExporter());

        // Spans are built only when they leave the process (the OpenTelemetry convention: an OTLP collector is named).
        // Without one, a tracer would make every gateway call build its span for no one, 3–4 µs of CPU a call
        // (docs/benchmarks.md); an ActivityListener of the process's own on the Rampart.Gateway source still gets them.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RampartTelemetry.OtlpEndpointVariable)))
        {
            telemetry.WithTracing(tracing => tracing.AddSource(RampartTelemetry.ActivitySourceName).AddOtlpExporter());
        }

        return services;
    }
}
