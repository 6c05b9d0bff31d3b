namespace Rampart.Core.Experiments;

/// <summary>An experiment definition (or a change to one) has problems; every one of them is listed, each naming its field.</summary>
public sealed class ExperimentValidationException : Exception
{
    /// <summary>Creates the exception from its problems.</summary>
    public ExperimentValidationException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with one problem.</summary>
    public ExperimentValidationException(string problem)
        : this([problem])
    {
    }

    /// <summary>Creates the exception with no listed problem.</summary>
    public ExperimentValidationException()
        : this("the experiment is invalid")
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    public ExperimentValidationException(string problem, Exception innerException)
        : base(problem, innerException)
    {
        Problems = [problem];
    }

    /// <summary>Each problem, naming its field (<c>stages[1].weights sums to 95; weights must sum to 100</c>).</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems) =>
        problems.Count == 1 ? problems[0] : string.Join(Environment.NewLine, problems.Select(p => "- " + p));
}
