namespace Rampart.Core.Events;

/// <summary>
/// One event (docs/cli.md, Events). The common fields are always set; the completion and feedback fields only on their type.
/// Unknown fields of an imported line are kept, as a JSON object, in <see cref="Extra"/>.
/// </summary>
public sealed record ExperimentEvent
{
    /// <summary>The kind of event.</summary>
    public required EventType Type { get; init; }

    /// <summary>The experiment's key.</summary>
    public required string Experiment { get; init; }

    /// <summary>The variant that served the unit.</summary>
    public required string Variant { get; init; }

    /// <summary>The unit (user, session…) randomised.</summary>
    public required string Unit { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>Idempotency key: an event whose id is already stored is a duplicate.</summary>
    public string? Id { get; init; }

    /// <summary>The planned stage (0-based) that served it.</summary>
    public int? Stage { get; init; }

    /// <summary>The call this completion or feedback belongs to.</summary>
    public string? RequestId { get; init; }

    /// <summary>Completion: total latency in milliseconds.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Completion: time to first token in milliseconds.</summary>
    public double? TtftMs { get; init; }

    /// <summary>Completion: input tokens.</summary>
    public long? PromptTokens { get; init; }

    /// <summary>Completion: output tokens.</summary>
    public long? CompletionTokens { get; init; }

    /// <summary>Completion: cost in USD, or null when the model has no price.</summary>
    public double? CostUsd { get; init; }

    /// <summary>Completion: the error, or null when the call succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>Completion: the model that answered.</summary>
    public string? Model { get; init; }

    /// <summary>Completion: the input text (when content logging is on).</summary>
    public string? Input { get; init; }

    /// <summary>Completion: the output text (when content logging is on).</summary>
    public string? Output { get; init; }

    /// <summary>Feedback: the score's name (e.g. <c>user_satisfaction</c>).</summary>
    public string? Score { get; init; }

    /// <summary>Feedback: the score's value.</summary>
    public double? Value { get; init; }

    /// <summary>Feedback: a comment.</summary>
    public string? Comment { get; init; }

    /// <summary>
    /// Feedback: who gave the score, or null for a person (<c>judge</c> for an LLM judge, whose feedback also carries the
    /// judge's <see cref="Model"/> and <see cref="CostUsd"/>).
    /// </summary>
    public string? Source { get; init; }

    /// <summary>
    /// True for a shadow call's completion, or a verdict on a shadow answer (docs/shadow.md): the variant answered a request the
    /// control served, and nobody saw the answer. It carries <see cref="PairId"/>, and counts only in the paired analysis.
    /// </summary>
    public bool Shadow { get; init; }

    /// <summary>
    /// The request id of the served call a shadow call paired with: on the shadow completion, and on the served (control)
    /// completion that a shadow variant sampled (its own request id there), so the analysis can join the two. Else null.
    /// </summary>
    public string? PairId { get; init; }

    /// <summary>
    /// Exposure: the unit's attributes the experiment reads (its targeting's and its <c>segments</c>, docs/targeting.md), as
    /// a JSON object of strings, numbers and booleans, or null.
    /// </summary>
    public string? Attributes { get; init; }

    /// <summary>Fields the format does not know, as a JSON object, or null.</summary>
    public string? Extra { get; init; }
}
