using Rampart.Core.Events;

namespace Rampart.Analysis.Reading;

/// <summary>The fields of one valid event line the analysis uses; ids are ranges of the line's bytes (never escaped).</summary>
internal struct ParsedEvent
{
    public EventType Type;
    public bool HasType;
    public Range Experiment;
    public Range Variant;
    public Range Unit;
    public Range? Id;
    public Range? RequestId;
    public Range? Score;

    /// <summary>Who gave the feedback (<c>judge</c> for a judge's verdict), unescaped.</summary>
    public Range? Source;

    /// <summary>The model (a judge's, on its feedback), unescaped.</summary>
    public Range? Model;

    /// <summary>A shadow call's completion or a verdict on its answer (<c>shadow: true</c>).</summary>
    public bool Shadow;

    /// <summary>The request id a shadow call pairs with, unescaped.</summary>
    public Range? PairId;
    public long TsTicks;
    public bool HasTs;
    public double? LatencyMs;
    public double? CostUsd;
    public long? PromptTokens;
    public long? CompletionTokens;
    public bool Failed;

    /// <summary>The completion's <c>error</c> is <c>"cancelled"</c> (<see cref="CancelledCall"/>): neither a request nor an error.</summary>
    public bool Cancelled;
    public double? Value;
}
