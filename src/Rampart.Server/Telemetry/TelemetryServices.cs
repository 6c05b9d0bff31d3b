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
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(RampartTelemetry.MeterName, RampartTelemetry.AspNetCoreHostingMeter, RampartTelemetry.RuntimeMeter)
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource(RampartTelemetry.ActivitySourceName);

                // Spans leave the process only when an OTLP collector is named (the OpenTelemetry convention).
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RampartTelemetry.OtlpEndpointVariable)))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }
}
