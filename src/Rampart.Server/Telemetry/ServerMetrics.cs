using System.Diagnostics;
using System.Diagnostics.Metrics;
using Rampart.Core.Events;
using Rampart.Server.Events;

namespace Rampart.Server.Telemetry;

/// <summary>The server's instruments (names in <see cref="RampartTelemetry"/>).</summary>
internal sealed class ServerMetrics : IEventMetrics
{
    private readonly Counter<long> requests;
    private readonly Histogram<double> duration;
    private readonly Histogram<long> tokens;
    private readonly Counter<long> written;
    private readonly Counter<long> lost;
    private readonly Counter<long> usageRejected;
    private readonly Counter<long> quarantined;
    private readonly Counter<long> journaled;
    private readonly MetricLabels labels;

    /// <summary>
    /// Creates the instruments on a meter from <paramref name="meters"/>, observing <paramref name="queue"/>'s depth,
    /// <paramref name="journal"/>'s size and <paramref name="pending"/> feedback; label values are kept to
    /// <paramref name="labels"/>' known set.
    /// </summary>
    public ServerMetrics(IMeterFactory meters, EventQueue queue, EventJournal journal, PendingFeedbackBudget pending, MetricLabels labels)
    {
        this.labels = labels;
        var meter = meters.Create(RampartTelemetry.MeterName);
        requests = meter.CreateCounter<long>(RampartTelemetry.Requests, "{request}", "Requests answered");
        duration = meter.CreateHistogram(RampartTelemetry.OperationDuration, "s", "Duration of gateway chat calls",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
        tokens = meter.CreateHistogram<long>(RampartTelemetry.TokenUsage, "{token}", "Tokens per gateway chat call",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304] });
        written = meter.CreateCounter<long>(RampartTelemetry.EventsWritten, "{event}", "Events stored");
        usageRejected = meter.CreateCounter<long>(RampartTelemetry.UpstreamUsageRejected, "{value}", "Upstream usage values out of range, stored as null");
        quarantined = meter.CreateCounter<long>(RampartTelemetry.EventsQuarantined, "{event}", "Stored events set aside by the results follower");
        lost = meter.CreateCounter<long>(RampartTelemetry.EventsLost, "{event}", "Gateway events lost: the server stopped while the store failed and the journal was full");
        journaled = meter.CreateCounter<long>(RampartTelemetry.EventsJournaled, "{event}", "Gateway events kept in the local journal while the store failed");
        meter.CreateObservableGauge(RampartTelemetry.QueueDepth, () => queue.Depth, "{event}", "Events taken and not yet stored");
        meter.CreateObservableGauge(RampartTelemetry.JournalHeld, () => journal.HeldEvents, "{event}", "Events held in the local journal, not yet in the store");
        meter.CreateObservableGauge(RampartTelemetry.JournalBytes, () => journal.Bytes, "By", "The local journal's size");
        meter.CreateObservableGauge(RampartTelemetry.FeedbackPending, () => pending.Count, "{feedback}", "Feedback waiting for its completion");
        meter.CreateObservableCounter(
            RampartTelemetry.FeedbackPendingDropped,
            () => new[]
            {
                new Measurement<long>(pending.Expired, new KeyValuePair<string, object?>(RampartTelemetry.Reason, "expired")),
                new Measurement<long>(pending.DroppedOverLimit, new KeyValuePair<string, object?>(RampartTelemetry.Reason, "over_limit")),
            },
            "{feedback}",
            "Waiting feedback dropped: older than feedback.pending_ttl, or over feedback.max_pending at start (oldest first)");
    }

    /// <summary>Counts one answered request.</summary>
    public void Request(string route, string method, int status) =>
        requests.Add(1, new TagList { { RampartTelemetry.Route, route }, { RampartTelemetry.Method, MetricLabels.Method(method) }, { RampartTelemetry.StatusCode, status } });

    /// <summary>Records one gateway call.</summary>
    public void ChatCall(string? experiment, string? variant, string provider, string? model, double seconds, int status, long? inputTokens, long? outputTokens)
    {
        var tags = new TagList
        {
            { RampartTelemetry.OperationName, RampartTelemetry.ChatOperation },
            { RampartTelemetry.ProviderName, labels.Provider(provider) },
            { RampartTelemetry.RequestModel, labels.Model(model, fromExperiment: experiment is not null) },
            { RampartTelemetry.Experiment, experiment },
            { RampartTelemetry.Variant, variant },
        };
        if (status >= 400)
        {
            tags.Add(RampartTelemetry.ErrorType, status);
        }

        duration.Record(seconds, tags);
        // An upstream's usage out of range (2^63-1, negative) is stored as null; recorded here, it would poison the
        // histogram's sum for as long as the process runs, so it is left out the same way.
        if (inputTokens is { } input && EventLimits.IsTokens(input))
        {
            var inputTags = tags;
            inputTags.Add(RampartTelemetry.TokenType, "input");
            tokens.Record(input, inputTags);
        }

        if (outputTokens is { } output && EventLimits.IsTokens(output))
        {
            var outputTags = tags;
            outputTags.Add(RampartTelemetry.TokenType, "output");
            tokens.Record(output, outputTags);
        }
    }

    /// <summary>Counts stored events.</summary>
    public void EventsWritten(EventSource source, int count) =>
        written.Add(count, new KeyValuePair<string, object?>(RampartTelemetry.Source, source.ToString().ToLowerInvariant()));

    /// <summary>Counts one upstream usage value out of range, by its event field (<c>prompt_tokens</c>, <c>cost_usd</c>…).</summary>
    public void UpstreamUsageRejected(string field) =>
        usageRejected.Add(1, new KeyValuePair<string, object?>(RampartTelemetry.Field, field));

    /// <summary>Counts events kept in the journal.</summary>
    public void EventsJournaled(int count) => journaled.Add(count);

    /// <summary>Counts lost events.</summary>
    public void EventsLost(int count) => lost.Add(count);

    /// <summary>Counts one event the results follower set aside.</summary>
    public void EventQuarantined() => quarantined.Add(1);
}
