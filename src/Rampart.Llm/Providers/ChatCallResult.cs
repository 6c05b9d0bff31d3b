namespace Rampart.Llm.Providers;

/// <summary>What a call did, for its completion event.</summary>
/// <param name="StatusCode">The HTTP status given to the caller (the upstream's on failure; 502 unreachable, 504 timeout, 500 simulated failure).</param>
/// <param name="Error">Null on success; otherwise what went wrong, in words.</param>
/// <param name="PromptTokens">Input tokens, when the upstream reported usage.</param>
/// <param name="CompletionTokens">Output tokens, when the upstream reported usage.</param>
/// <param name="TtftMs">Milliseconds until the first content arrived (streaming), or null.</param>
/// <param name="Model">The model that answered, as the upstream named it.</param>
/// <param name="Output">The answer's text (for content logging), or null.</param>
/// <param name="SimulatedSatisfied">The simulated provider's verdict of whether the user liked the answer; null for real providers.</param>
/// <param name="SimulatedLatencyMs">The simulated provider's drawn latency (reported instead of the wall clock when it does not sleep), or null.</param>
/// <param name="ErrorCode">The OpenAI error <c>code</c> for the caller when the failure has a specific one (e.g. <c>upstream_response_too_large</c>), or null.</param>
/// <param name="Detail">
/// What went wrong in full, for the server's log only: it may name addresses and environment variables, which
/// <paramref name="Error"/> (shown to the caller and stored) never does. Null when <paramref name="Error"/> says it all.
/// </param>
/// <param name="SimulatedQuality">The simulated answer's quality in [0, 1] (the variant's <c>params.sim.quality</c>), what the <c>sim</c> judge rates; null for real providers.</param>
public sealed record ChatCallResult(
    int StatusCode,
    string? Error,
    long? PromptTokens = null,
    long? CompletionTokens = null,
    double? TtftMs = null,
    string? Model = null,
    string? Output = null,
    bool? SimulatedSatisfied = null,
    double? SimulatedLatencyMs = null,
    string? ErrorCode = null,
    string? Detail = null,
    double? SimulatedQuality = null)
{
    /// <summary>Usage figures the upstream sent that no token count holds (1e308, 120.5, "120"), as (field, the JSON sent), or null; each is stored as null and reported as rejected.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? UnusableUsage { get; init; }
}
