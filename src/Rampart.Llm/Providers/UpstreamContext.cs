namespace Rampart.Llm.Providers;

/// <summary>One upstream exchange's limits and measurements, handed to the provider's exchange by <see cref="UpstreamExchange"/>.</summary>
internal sealed class UpstreamContext(CancellationTokenSource timeout, TimeSpan limit, CallProgress progress, CancellationToken token, CancellationToken callerToken)
{
    /// <summary>Cancelled by the caller or by the upstream's timeout: for everything that waits on the upstream.</summary>
    public CancellationToken Token { get; } = token;

    /// <summary>Cancelled only by the caller: for writing to the caller.</summary>
    public CancellationToken CallerToken { get; } = callerToken;

    public CallProgress Progress { get; } = progress;

    /// <summary>Gives a stream the whole timeout again: between chunks it is an idle limit, since a long answer may rightly take longer in total.</summary>
    public void RestartTimeout() => timeout.CancelAfter(limit);
}
