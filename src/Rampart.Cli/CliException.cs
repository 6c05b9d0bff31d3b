namespace Rampart.Cli;

/// <summary>A mistake in how the command was called (an empty unit, a missing file); the message says how to fix it.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CliException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
