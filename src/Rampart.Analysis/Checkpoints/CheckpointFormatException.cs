namespace Rampart.Analysis.Checkpoints;

/// <summary>A checkpoint that is not what a <see cref="CheckpointWriter"/> of this version wrote: it is not used.</summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointFormatException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public CheckpointFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
