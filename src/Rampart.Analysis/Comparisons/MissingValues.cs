namespace Rampart.Analysis.Comparisons;

/// <summary>Fields of the results document that are null, and why.</summary>
/// <param name="Fields">The JSON names of the null fields.</param>
/// <param name="Reason">Why they cannot be computed.</param>
internal sealed record MissingValues(IReadOnlyList<string> Fields, string Reason);
