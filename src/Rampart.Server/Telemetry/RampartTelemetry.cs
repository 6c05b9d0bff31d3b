namespace Rampart.Server.Telemetry;

/// <summary>
/// Every telemetry name the server emits, in one place: its meter and activity source, its instruments and their
/// attributes. Gateway calls follow the OpenTelemetry GenAI semantic conventions (<c>gen_ai.*</c>); Rampart's own
/// names are under <c>rampart.*</c>. Prometheus spells them with underscores and unit suffixes
/// (<c>gen_ai_client_operation_duration_seconds</c>, <c>rampart_server_requests_total</c>).
/// </summary>
public static class RampartTelemetry
{
    /// <summary>The meter of the server's instruments.</summary>
    public const string MeterName = "Rampart.Server";

    /// <summary>The activity source of gateway calls (one <c>chat {model}</c> span per call).</summary>
    public const string ActivitySourceName = "Rampart.Gateway";

    /// <summary>The environment variable naming an OTLP collector; when set, gateway spans are exported to it.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>ASP.NET Core's own meter, whose <c>http.server.request.duration</c> histogram is exported too.</summary>
    public const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";

    /// <summary>
    /// The .NET runtime's own meter (GC, CPU time, thread pool, allocations), also on <c>/metrics</c>: what the gateway costs
    /// per call in CPU and allocated bytes is read from it (docs/benchmarks.md).
    /// </summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>Counter: requests answered, by route, method and status.</summary>
    public const string Requests = "rampart.server.requests";

    /// <summary>Histogram (s): a gateway call's duration, by experiment, variant, provider and model (GenAI conventions).</summary>
    public const string OperationDuration = "gen_ai.client.operation.duration";

    /// <summary>Histogram ({token}): tokens per gateway call, by <see cref="TokenType"/> (GenAI conventions).</summary>
    public const string TokenUsage = "gen_ai.client.token.usage";

    /// <summary>Counter: events stored, by source (api, gateway, feedback).</summary>
    public const string EventsWritten = "rampart.events.written";

    /// <summary>Counter: gateway events given up: the server stopped while the store failed and the journal was full, or a journal record was unreadable (each also logged as an error).</summary>
    public const string EventsLost = "rampart.events.lost";

    /// <summary>Counter: usage an upstream reported out of range (tokens, the cost derived from them), stored as null; by <see cref="Field"/>.</summary>
    public const string UpstreamUsageRejected = "rampart.upstream.usage_rejected";

    /// <summary>Attribute: the event field a count is about.</summary>
    public const string Field = "field";

    /// <summary>Gauge: events taken and not yet stored.</summary>
    public const string QueueDepth = "rampart.events.queue.depth";

    /// <summary>Counter: stored events the results follower set aside because they could not be aggregated (<c>GET /api/events/quarantined</c>).</summary>
    public const string EventsQuarantined = "rampart.events.quarantined";

    /// <summary>Counter: gateway events kept in the local journal while the store failed.</summary>
    public const string EventsJournaled = "rampart.events.journaled";

    /// <summary>Gauge: events held in the local journal, not yet in the store.</summary>
    public const string JournalHeld = "rampart.events.journal.held";

    /// <summary>Gauge: the local journal's size in bytes.</summary>
    public const string JournalBytes = "rampart.events.journal.size";

    /// <summary>Gauge: feedback waiting for its completion.</summary>
    public const string FeedbackPending = "rampart.feedback.pending";

    /// <summary>Counter: waiting feedback dropped, by <see cref="Reason"/> (<c>expired</c>, <c>over_limit</c>).</summary>
    public const string FeedbackPendingDropped = "rampart.feedback.pending.dropped";

    /// <summary>Judge verdicts stored as feedback.</summary>
    public const string JudgeVerdicts = Llm.Judging.JudgeMetrics.Verdicts;

    /// <summary>Sampled calls not judged, by reason (<c>queue_full</c>, <c>budget</c>).</summary>
    public const string JudgeSkipped = Llm.Judging.JudgeMetrics.SkippedCalls;

    /// <summary>Judge calls that failed.</summary>
    public const string JudgeFailures = Llm.Judging.JudgeMetrics.Failures;

    /// <summary>What judge calls cost, in US dollars.</summary>
    public const string JudgeCostUsd = Llm.Judging.JudgeMetrics.CostUsd;

    /// <summary>Shadow calls made (docs/shadow.md).</summary>
    public const string ShadowCalls = Llm.Shadowing.ShadowMetrics.Calls;

    /// <summary>Sampled shadow calls not made, by reason (<c>queue_full</c>, <c>budget</c>).</summary>
    public const string ShadowSkipped = Llm.Shadowing.ShadowMetrics.SkippedCalls;

    /// <summary>Shadow calls that failed.</summary>
    public const string ShadowFailures = Llm.Shadowing.ShadowMetrics.Failures;

    /// <summary>What shadow calls cost, in US dollars.</summary>
    public const string ShadowCostUsd = Llm.Shadowing.ShadowMetrics.CostUsd;

    /// <summary>The judge's name.</summary>
    public const string Judge = Llm.Judging.JudgeMetrics.JudgeTag;

    /// <summary>Attribute: why something was dropped.</summary>
    public const string Reason = "rampart.reason";

    /// <summary>Attribute: the GenAI operation (<c>chat</c>).</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary>Attribute: the provider's configured name.</summary>
    public const string ProviderName = "gen_ai.provider.name";

    /// <summary>Attribute: the model asked for.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary>Attribute: the model that answered.</summary>
    public const string ResponseModel = "gen_ai.response.model";

    /// <summary>Attribute: input tokens of the call.</summary>
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";

    /// <summary>Attribute: output tokens of the call.</summary>
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";

    /// <summary>Attribute: <c>input</c> or <c>output</c>, on <see cref="TokenUsage"/>.</summary>
    public const string TokenType = "gen_ai.token.type";

    /// <summary>Attribute: the error's class (the HTTP status of a failed call).</summary>
    public const string ErrorType = "error.type";

    /// <summary>Attribute: the experiment's key.</summary>
    public const string Experiment = "rampart.experiment";

    /// <summary>Attribute: the variant served.</summary>
    public const string Variant = "rampart.variant";

    /// <summary>Attribute: the call's request id (spans only: unbounded).</summary>
    public const string RequestId = "rampart.request_id";

    /// <summary>Attribute: where events came from.</summary>
    public const string Source = "rampart.source";

    /// <summary>Attribute: the route template.</summary>
    public const string Route = "http.route";

    /// <summary>Attribute: the HTTP method.</summary>
    public const string Method = "http.request.method";

    /// <summary>Attribute: the HTTP status.</summary>
    public const string StatusCode = "http.response.status_code";

    /// <summary>The GenAI operation name of chat completions.</summary>
    public const string ChatOperation = "chat";
}
