using Microsoft.Extensions.AI;
using Rampart.Llm.Recording;

namespace Rampart.Llm.Middleware;

/// <summary>One call through <see cref="ExperimentChatClient"/>: the call as recorded, the caller's messages, and the request the variant makes.</summary>
internal sealed class ExperimentCall
{
    public required RecordedCall Recorded { get; init; }

    /// <summary>The caller's messages, as sent (what a completion logs as its input).</summary>
    public required IList<ChatMessage> CallerMessages { get; init; }

    public required List<ChatMessage> Messages { get; init; }

    public required ChatOptions Options { get; init; }

    public string Variant => Recorded.Variant;

    public string RequestId => Recorded.RequestId;

    /// <summary>Tells the caller which experiment, variant and request id served it (the id is what feedback refers to).</summary>
    public void Stamp(AdditionalPropertiesDictionary properties)
    {
        properties[ExperimentChatClient.ExperimentPropertyName] = Recorded.Experiment;
        properties[ExperimentChatClient.VariantPropertyName] = Variant;
        properties[ExperimentChatClient.RequestIdPropertyName] = RequestId;
    }
}
