namespace Rampart.Analysis.Results;

/// <summary>Token sums over completions (a completion without a count adds 0).</summary>
/// <param name="Prompt">Input tokens.</param>
/// <param name="Completion">Output tokens.</param>
/// <param name="Total">Prompt + completion.</param>
public sealed record TokenResult(long Prompt, long Completion, long Total);
