using Microsoft.Extensions.AI;
using Rampart.Llm.Recording;

namespace Rampart.Llm.Middleware;

/// <summary>One call through <see cref="ExperimentChatClient"/>: the call as recorded, the caller's messages, and the request the variant makes.</summary>
internal sealed class ExperimentCall
{
    private int completed;

    public required RecordedCall Recorded { get; init; }

    /// <summary>The caller's messages, as sent (what a completion logs as its input).</summary>
    public required IList<ChatMessage> CallerMessages { get; init; }

    public required List<ChatMessage> Messages { get; init; }

    public required ChatOptions Options { get; init; }

    public string Variant => Recorded.Variant;

    public string RequestId => Recorded.RequestId;

    /// <summary>True the first time only: a call's completion is written once, however its end and its cancellation race.</summary>
    public bool TryComplete() => Interlocked.Exchange(ref completed, 1) == 0;

    /// <summary>True once the completion was taken (<see cref="TryComplete"/>): what a late ending would record need not be built.</summary>
    public bool IsCompleted => Volatile.Read(ref completed) != 0;

    /// <summary>Tells the caller which experiment, variant and request id served it (the id is what feedback refers to).</summary>
    public void Stamp(AdditionalPropertiesDictionary properties)
    {
        properties[ExperimentChatClient.ExperimentPropertyName] = Recorded.Experiment;
        properties[ExperimentChatClient.VariantPropertyName] = Variant;
        properties[ExperimentChatClient.RequestIdPropertyName] = RequestId;
    }
}
