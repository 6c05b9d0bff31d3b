using Microsoft.Extensions.AI;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;

namespace Rampart.Llm.Middleware;

/// <summary>One call through <see cref="ExperimentChatClient"/>: who was assigned what, and the request the variant makes.</summary>
internal sealed class ExperimentCall
{
    public required string Experiment { get; init; }

    public required Assignment Assignment { get; init; }

    /// <summary>The unit, or null when the call named none (it gets the control and writes no events).</summary>
    public required string? Unit { get; init; }

    public required string RequestId { get; init; }

    public required long StartTimestamp { get; init; }

    public required List<ChatMessage> Messages { get; init; }

    public required ChatOptions Options { get; init; }

    /// <summary>The last user message's text when the experiment logs content, else null.</summary>
    public required string? Input { get; init; }

    public required bool LogsContent { get; init; }

    /// <summary>Events are written only for a unit that was hashed into the experiment (not for a missing unit or a stopped experiment).</summary>
    public bool WritesEvents => Unit is not null && Assignment.Bucket >= 0;

    public string Variant => Assignment.Variant.Name;

    public ExperimentEvent Event(EventType type, DateTimeOffset ts) => new()
    {
        Type = type,
        Experiment = Experiment,
        Variant = Variant,
        Unit = Unit ?? "",
        Ts = ts,
        Stage = Assignment.Stage,
        RequestId = RequestId,
    };

    /// <summary>Tells the caller which experiment, variant and request id served it (the id is what feedback refers to).</summary>
    public void Stamp(AdditionalPropertiesDictionary properties)
    {
        properties[ExperimentChatClient.ExperimentPropertyName] = Experiment;
        properties[ExperimentChatClient.VariantPropertyName] = Variant;
        properties[ExperimentChatClient.RequestIdPropertyName] = RequestId;
    }
}
