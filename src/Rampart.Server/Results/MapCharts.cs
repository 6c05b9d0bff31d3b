using System.Globalization;
using System.Text.Json;
using Rampart.Analysis.Timelines;
using Rampart.Core.Access;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Server.Access;
using Rampart.Server.Experiments;
using Rampart.Server.Http;

namespace Rampart.Server.Results;

/// <summary>
/// What the dashboard's charts need beyond the results document, computed on the server so the browser does no statistics:
/// <c>GET /api/experiments/{key}/timeline?score=</c> (traffic per window, a score's difference against the control
/// with its 95% confidence sequence — the primary score unless <c>score</c> names another, e.g. a judge's — and the
/// audit's rollout changes, from the tracker's time buckets) and <c>GET /api/experiments/{key}/latency</c>
/// (latency quantiles per variant). Both need a read key.
/// </summary>
public static class MapCharts
{
    /// <summary>The default number of windows of a timeline.</summary>
    public const int DefaultPoints = 60;

    /// <summary>The most windows a timeline may ask for.</summary>
    public const int MaxPoints = TimelineRecorder.MaxBuckets;

    private static readonly double[] Quantiles = [.. Enumerable.Range(1, 99).Select(i => i / 100.0)];

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapChartsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/experiments/{key}/timeline", TimelineAsync).RequireScope(KeyScope.Read);
        app.MapGet("/api/experiments/{key}/latency", LatencyAsync).RequireScope(KeyScope.Read);
        return app;
    }

    /// <summary>The longest score name <c>score</c> may give: as long as a feedback event's.</summary>
    public const int MaxScoreLength = EventLimits.MaxScoreNameLength;

    private static async Task<IResult> TimelineAsync(
        string key, string? points, string? score, IExperimentStore store, EventFollower follower, ResultsTracker tracker, CancellationToken cancellationToken)
    {
        var windows = DefaultPoints;
        if (points is not null && (!int.TryParse(points, NumberStyles.None, CultureInfo.InvariantCulture, out windows) || windows is < 1 or > MaxPoints))
        {
            return ApiProblems.Invalid("points", $"'points' must be a whole number from 1 to {MaxPoints}; got '{points}'.");
        }

        if (score is not null && (score.Length is 0 or > MaxScoreLength || score.Any(char.IsControl)))
        {
            return ApiProblems.Invalid("score", $"'score' must be a score name of 1 to {MaxScoreLength} printable characters, e.g. judge_helpfulness.");
        }

        var experiment = await CaughtUp.FindAsync(key, store, follower, cancellationToken);
        if (experiment is null)
        {
            return ApiProblems.UnknownExperiment("key", key);
        }

        var timeline = tracker.Timeline(experiment, windows, score);
        if (timeline.Points.Count == 0)
        {
            timeline = timeline with { From = experiment.CreatedAt, To = experiment.CreatedAt };
        }

        var audit = await store.AuditAsync(key, cancellationToken);
        return ServerJson.Result(writer => Write(writer, timeline, audit));
    }

    private static async Task<IResult> LatencyAsync(
        string key, IExperimentStore store, EventFollower follower, ResultsTracker tracker, CancellationToken cancellationToken)
    {
        var experiment = await CaughtUp.FindAsync(key, store, follower, cancellationToken);
        if (experiment is null)
        {
            return ApiProblems.UnknownExperiment("key", key);
        }

        var variants = tracker.LatencyQuantiles(experiment, Quantiles);
        return ServerJson.Result(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("experiment", key);
            writer.WriteStartArray("quantiles");
            foreach (var q in Quantiles)
            {
                writer.WriteNumberValue(q);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("variants");
            foreach (var (name, count, values) in variants)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteNumber("count", count);
                writer.WriteStartArray("latency_ms");
                foreach (var value in values)
                {
                    NumberValue(writer, value);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void Write(Utf8JsonWriter writer, Timeline timeline, IReadOnlyList<Core.Audit.AuditEntry> audit)
    {
        writer.WriteStartObject();
        writer.WriteString("experiment", timeline.Experiment);
        writer.WriteString("control", timeline.Control);
        writer.WriteString("score", timeline.Score);
        writer.WriteString("from", EventLineWriter.FormatTimestamp(timeline.From));
        writer.WriteString("to", EventLineWriter.FormatTimestamp(timeline.To));
        writer.WriteStartArray("variants");
        foreach (var variant in timeline.Variants)
        {
            writer.WriteStringValue(variant);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("points");
        foreach (var point in timeline.Points)
        {
            writer.WriteStartObject();
            writer.WriteString("end", EventLineWriter.FormatTimestamp(point.End));
            writer.WriteStartObject("traffic");
            foreach (var (variant, count) in point.Traffic)
            {
                writer.WriteNumber(variant, count);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("differences");
            foreach (var (variant, difference) in point.Differences)
            {
                writer.WriteStartObject(variant);
                writer.WriteNumber("control_n", difference.ControlCount);
                writer.WriteNumber("variant_n", difference.VariantCount);
                Number(writer, "diff", difference.Diff);
                Number(writer, "lower", difference.Lower);
                Number(writer, "upper", difference.Upper);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("markers");
        foreach (var entry in audit)
        {
            ExperimentJson.Write(writer, entry);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        writer.WritePropertyName(name);
        NumberValue(writer, value);
    }

    private static void NumberValue(Utf8JsonWriter writer, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
