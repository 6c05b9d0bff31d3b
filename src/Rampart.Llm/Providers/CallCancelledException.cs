namespace Rampart.Llm.Providers;

/// <summary>
/// The caller of a provider's call cancelled it (a gateway client hanging up). It is an
/// <see cref="OperationCanceledException"/> like any other, and carries what the call had measured by then (the time to
/// first token, the text so far, the tokens) in <see cref="Partial"/>, so the call can be recorded as cancelled with them.
/// </summary>
public sealed class CallCancelledException : OperationCanceledException
{
    /// <summary>Creates the exception for a call cancelled through <paramref name="cancellationToken"/> after it measured <paramref name="partial"/>.</summary>
    public CallCancelledException(ChatCallResult partial, CancellationToken cancellationToken)
        : base("The call was cancelled by its caller.", cancellationToken) => Partial = partial;

    /// <summary>What the call had measured when it was cancelled; its status and error are those of the failure, if any.</summary>
    public ChatCallResult Partial { get; }
}
