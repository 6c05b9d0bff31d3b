namespace Rampart.Core.Rollouts;

/// <summary>No experiment has the key asked for.</summary>
public sealed class ExperimentNotFoundException : RolloutException
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public ExperimentNotFoundException(string key)
        : base($"Experiment '{key}' does not exist; `rampart experiments list` shows the experiments there are.")
    {
        Key = key;
    }

    /// <summary>Creates the exception.</summary>
    public ExperimentNotFoundException()
    {
        Key = "";
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ExperimentNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "";
    }

    /// <summary>The key that was not found.</summary>
    public string Key { get; }
}
