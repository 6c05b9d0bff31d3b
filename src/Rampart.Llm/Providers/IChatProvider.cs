namespace Rampart.Llm.Providers;

/// <summary>
/// A model endpoint the gateway forwards to. It receives an OpenAI-format chat completion request that already
/// carries the variant's settings and writes an OpenAI-format answer (JSON, or server-sent events chunk by chunk as
/// they arrive when <see cref="ChatCall.Stream"/> is set) to the response writer. When the call fails before anything
/// was written, it writes nothing and returns the status and error; the gateway then answers in OpenAI's error envelope.
/// </summary>
public interface IChatProvider
{
    /// <summary>Makes <paramref name="chatCall"/>, streaming the answer to <paramref name="response"/>; never throws for an upstream failure.</summary>
    Task<ChatCallResult> SendAsync(ChatCall chatCall, IChatResponseWriter response, CancellationToken cancellationToken);
}
