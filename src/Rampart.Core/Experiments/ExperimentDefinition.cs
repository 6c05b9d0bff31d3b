using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Rampart.Core.Experiments;

/// <summary>
/// What an experiment is: its variants and its planned stages, with the policies that move it along (docs/experiment-format.md).
/// Read and written as JSON by <see cref="ExperimentDefinitionJson"/>; valid by construction when it comes from there.
/// </summary>
/// <param name="Key">The experiment's key, <c>[a-z0-9][a-z0-9-_]{0,63}</c>.</param>
/// <param name="Name">A human name; the key when none was given.</param>
/// <param name="Control">The name of the control variant.</param>
/// <param name="Variants">The variants in listed order (the order the first stage lays out buckets in).</param>
/// <param name="Stages">The planned stages; promotion adds the final winner-takes-all stage.</param>
/// <param name="Advance">How stages advance. Default: manual.</param>
/// <param name="PrimaryScore">The feedback score that decides promotion. Default: user_satisfaction.</param>
/// <param name="Promotion">Promotion criteria.</param>
/// <param name="Guardrails">Rollback criteria.</param>
/// <param name="Logging">How much call text is stored. Default: full.</param>
/// <param name="Salt">The hashing salt; the key when none was given, which makes experiments independent.</param>
public sealed partial record ExperimentDefinition(
    string Key,
    string Name,
    string Control,
    ImmutableArray<Variant> Variants,
    ImmutableArray<StageDefinition> Stages,
    AdvanceMode Advance,
    string PrimaryScore,
    PromotionOptions Promotion,
    GuardrailOptions Guardrails,
    ContentLogging Logging,
    string Salt)
{
    /// <summary>The experiment's share of a mutually exclusive layer (docs/targeting.md), or null when it is in none.</summary>
    public LayerMembership? Layer { get; init; }

    /// <summary>The unit attributes the results can be broken down by (docs/targeting.md); each is stored on the unit's exposures.</summary>
    public ImmutableArray<string> Segments { get; init; } = [];

    /// <summary>The attributes an exposure stores: the targeting's, then the <see cref="Segments"/>, each once.</summary>
    public ImmutableArray<string> StoredAttributes =>
        [.. (Targeting?.AttributeNames() ?? []).Concat(Segments).Distinct(StringComparer.Ordinal)];

    /// <summary>Who is in the experiment (docs/targeting.md): null for every unit.</summary>
    public Targeting.TargetingRule? Targeting { get; init; }

    /// <summary>The experiment's LLM judges (docs/judges.md); empty by default.</summary>
    public ImmutableArray<JudgeDefinition> Judges { get; init; } = [];

    /// <summary>The judge whose score is <paramref name="score"/>, or null.</summary>
    public JudgeDefinition? JudgeOf(string score)
    {
        foreach (var judge in Judges)
        {
            if (judge.ScoreName == score)
            {
                return judge;
            }
        }

        return null;
    }

    /// <summary>The default primary score.</summary>
    public const string DefaultPrimaryScore = "user_satisfaction";

    /// <summary>The variants' names in listed order.</summary>
    public ImmutableArray<string> VariantNames => [.. Variants.Select(v => v.Name)];

    /// <summary>The control's position in <see cref="Variants"/>.</summary>
    public int ControlIndex => IndexOf(Control);

    /// <summary>The position of <paramref name="variant"/> in <see cref="Variants"/>, or -1.</summary>
    public int IndexOf(string variant)
    {
        for (var i = 0; i < Variants.Length; i++)
        {
            if (Variants[i].Name == variant)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="key"/> is a valid experiment key.</summary>
    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    /// <summary>True when <paramref name="name"/> is a valid variant name.</summary>
    public static bool IsValidVariantName(string? name) => name is not null && VariantNamePattern().IsMatch(name);

    /// <summary>True when <paramref name="name"/> is a valid judge name.</summary>
    public static bool IsValidJudgeName(string? name) => name is not null && JudgeNamePattern().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9_]{1,48}\z")]
    private static partial Regex JudgeNamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,63}\z")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex VariantNamePattern();
}
