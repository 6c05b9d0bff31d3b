namespace Rampart.Llm.Remote;

/// <summary>What one POST came to: the HTTP status (0 when none), the answer or problem, the server's Retry-After, and the answer read when accepted.</summary>
internal readonly record struct UploadResult(UploadOutcome Outcome, int Status, string Text, TimeSpan? RetryAfter, EventsAnswer? Answer = null);
