namespace Rampart.Core.Rollouts;

/// <summary>A rollout command cannot be carried out as asked (wrong state, unknown variant…); the message says how to fix it.</summary>
public class RolloutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RolloutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RolloutException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RolloutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
