namespace Rampart.Core.Rollouts;

/// <summary>The experiment asked for is stored but cannot be read (<see cref="UnreadableExperiment"/>).</summary>
public sealed class UnreadableExperimentException : Exception
{
    /// <summary>Creates the exception for <paramref name="unreadable"/>, saying why and what to do.</summary>
    public UnreadableExperimentException(UnreadableExperiment unreadable)
        : base(Describe(unreadable))
    {
        Key = unreadable.Key;
    }

    /// <summary>Creates the exception.</summary>
    public UnreadableExperimentException()
    {
        Key = "";
    }

    /// <summary>Creates the exception.</summary>
    public UnreadableExperimentException(string message)
        : base(message)
    {
        Key = "";
    }

    /// <summary>Creates the exception with its cause.</summary>
    public UnreadableExperimentException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "";
    }

    /// <summary>The key of the experiment that cannot be read.</summary>
    public string Key { get; }

    private static string Describe(UnreadableExperiment unreadable)
    {
        ArgumentNullException.ThrowIfNull(unreadable);
        return $"Experiment '{unreadable.Key}' is stored but cannot be read: {unreadable.Reason.TrimEnd('.')}. Mend its row or restore it from a backup (docs/operations.md, \"Unreadable experiments\").";
    }
}
