namespace Rampart.Server.Results;

/// <summary>
/// Results cannot be given without leaving events out: events were pruned and no checkpoint that covers them can be read
/// (docs/storage.md, "Retention"). Answered 503 with the reason; never results that silently miss the pruned events.
/// </summary>
public sealed class ResultsUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ResultsUnavailableException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ResultsUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public ResultsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
