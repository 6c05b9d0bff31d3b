namespace Rampart.Core.Access;

/// <summary>A key with the same name already exists.</summary>
public sealed class KeyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyConflictException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public KeyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
