namespace Rampart.Core.Rollouts;

/// <summary>A write lost a race: the experiment already exists, or changed since it was read.</summary>
public sealed class ExperimentConflictException : RolloutException
{
    /// <summary>Creates the exception.</summary>
    public ExperimentConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ExperimentConflictException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ExperimentConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
