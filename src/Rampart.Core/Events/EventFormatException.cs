namespace Rampart.Core.Events;

/// <summary>A line of events is not a valid event; the message names the line and the field at fault.</summary>
public sealed class EventFormatException : FormatException
{
    /// <summary>Creates the exception for line <paramref name="line"/> and <paramref name="field"/> (null when the line is not JSON).</summary>
    public EventFormatException(long line, string? field, string problem)
        : base(field is null ? $"line {line}: {problem}" : $"line {line}: '{field}' {problem}")
    {
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates the exception.</summary>
    public EventFormatException()
    {
        Problem = "";
    }

    /// <summary>Creates the exception.</summary>
    public EventFormatException(string message)
        : base(message)
    {
        Problem = message;
    }

    /// <summary>Creates the exception with its cause.</summary>
    public EventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>The 1-based line number.</summary>
    public long Line { get; }

    /// <summary>The field at fault, or null when the line is not JSON at all.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the line and field.</summary>
    public string Problem { get; }
}
