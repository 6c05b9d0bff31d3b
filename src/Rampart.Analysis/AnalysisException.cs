namespace Rampart.Analysis;

/// <summary>The analysis was asked something its events cannot answer (an unknown control, events of an unlisted variant); the message says how to fix it.</summary>
public sealed class AnalysisException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AnalysisException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AnalysisException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public AnalysisException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
