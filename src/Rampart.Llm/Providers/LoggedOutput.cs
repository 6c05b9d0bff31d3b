namespace Rampart.Llm.Providers;

/// <summary>A call's answer text for a log message, formatted (and the provider's key redacted) only if the message is written.</summary>
internal readonly record struct LoggedOutput(CallProgress Progress)
{
    public override string ToString() => Progress.RedactedOutput ?? "";
}
