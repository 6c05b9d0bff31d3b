namespace Rampart.Core.Events;

/// <summary>The fields of an event line that the format knows.</summary>
internal enum EventField
{
    Type, Experiment, Variant, Unit, Ts, Id, Stage, RequestId, LatencyMs, TtftMs, PromptTokens, CompletionTokens,
    CostUsd, Error, Model, Input, Output, Score, Value, Comment, Source, Shadow, PairId, Attributes,
}
