namespace Rampart.Analysis.Results;

/// <summary>The shadow stage's paired comparisons (docs/api.md, "shadow"): every shadow variant against the control on the same requests.</summary>
/// <param name="Unmatched">Served or shadow completions still waiting for their other side.</param>
/// <param name="Dropped">Unmatched entries dropped to keep memory bounded (docs/shadow.md, Paired analysis).</param>
/// <param name="Duplicates">Second completions for one side of a pair, left out.</param>
/// <param name="Variants">Per shadow variant, in the order first seen.</param>
public sealed record ShadowResult(long Unmatched, long Dropped, long Duplicates, IReadOnlyList<ShadowVariantResult> Variants);
