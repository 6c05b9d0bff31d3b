using System.Collections.Immutable;

namespace Rampart.Core.Targeting;

/// <summary>
/// An experiment's targeting (docs/targeting.md): a group of conditions (<see cref="TargetingGroup"/>) or one condition
/// (<see cref="TargetingCondition"/>) a unit's attributes must match to be in the experiment. Built by
/// <see cref="TargetingJson"/>; immutable and thread-safe.
/// </summary>
public abstract class TargetingRule
{
    /// <summary>True when <paramref name="attributes"/> match.</summary>
    public abstract bool Matches(UnitAttributes attributes);

    /// <summary>Every attribute name the rule reads, in first-use order.</summary>
    public ImmutableArray<string> AttributeNames()
    {
        var names = new List<string>();
        Collect(names);
        return [.. names];
    }

    internal abstract void Collect(List<string> names);
}

/// <summary><c>all</c> (every rule matches) or <c>any</c> (at least one does) of its rules.</summary>
public sealed class TargetingGroup : TargetingRule
{
    private readonly TargetingRule[] rules;

    /// <summary>A group of <paramref name="rules"/>, all of which (<paramref name="all"/>) or any of which must match.</summary>
    public TargetingGroup(bool all, ImmutableArray<TargetingRule> rules)
    {
        All = all;
        Rules = rules;
        this.rules = [.. rules];
    }

    /// <summary>True for <c>all</c>, false for <c>any</c>.</summary>
    public bool All { get; }

    /// <summary>The group's rules, in order.</summary>
    public ImmutableArray<TargetingRule> Rules { get; }

    /// <inheritdoc />
    public override bool Matches(UnitAttributes attributes)
    {
        foreach (var rule in rules)
        {
            if (rule.Matches(attributes) != All)
            {
                return !All;
            }
        }

        return All;
    }

    internal override void Collect(List<string> names)
    {
        foreach (var rule in rules)
        {
            rule.Collect(names);
        }
    }
}

/// <summary>
/// One condition on one attribute. A unit without the attribute matches only <c>exists: false</c>; a value of another
/// kind than the condition's (a number where strings are listed) does not match.
/// </summary>
public sealed class TargetingCondition : TargetingRule
{
    // A short list is scanned (cheaper than hashing a string), a long one hashed.
    private const int ScanLimit = 8;
    private readonly AttributeValue[] list;
    private readonly HashSet<AttributeValue>? set;
    private readonly SemanticVersion version;

    /// <summary>A condition on <paramref name="attribute"/>.</summary>
    /// <param name="attribute">The attribute's name.</param>
    /// <param name="op">What is tested.</param>
    /// <param name="values">The value(s): one for eq, gt, lt and the semver operators (a version string), the list for in and not_in, a boolean for exists.</param>
    /// <exception cref="ArgumentException">when the values do not suit <paramref name="op"/>.</exception>
    public TargetingCondition(string attribute, TargetingOperator op, ImmutableArray<AttributeValue> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        Attribute = attribute;
        Operator = op;
        Values = values;
        list = [.. values];
        set = values.Length > ScanLimit ? [.. values] : null;
        var single = values.Length == 1 ? values[0] : (AttributeValue?)null;
        var valid = op switch
        {
            TargetingOperator.In or TargetingOperator.NotIn => values.Length > 0,
            TargetingOperator.Eq => single is not null,
            TargetingOperator.Exists => single is { Kind: AttributeKind.Boolean },
            TargetingOperator.Gt or TargetingOperator.Lt => single is { Kind: AttributeKind.Number },
            _ => single is { Kind: AttributeKind.Text } s && SemanticVersion.TryParse(s.Text, out version),
        };
        if (!valid)
        {
            throw new ArgumentException($"The values do not suit operator {op}.", nameof(values));
        }
    }

    /// <summary>The attribute tested.</summary>
    public string Attribute { get; }

    /// <summary>What is tested.</summary>
    public TargetingOperator Operator { get; }

    /// <summary>The condition's value(s).</summary>
    public ImmutableArray<AttributeValue> Values { get; }

    /// <inheritdoc />
    public override bool Matches(UnitAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (!attributes.TryGet(Attribute, out var value))
        {
            return Operator == TargetingOperator.Exists && Values[0].Number == 0;
        }

        return Operator switch
        {
            TargetingOperator.In or TargetingOperator.Eq => Contains(value),
            TargetingOperator.NotIn => !Contains(value),
            TargetingOperator.Exists => Values[0].Number != 0,
            TargetingOperator.Gt => value.Kind == AttributeKind.Number && value.Number > Values[0].Number,
            TargetingOperator.Lt => value.Kind == AttributeKind.Number && value.Number < Values[0].Number,
            TargetingOperator.SemverGte => value.Kind == AttributeKind.Text && SemanticVersion.TryParse(value.Text, out var v) && v >= version,
            _ => value.Kind == AttributeKind.Text && SemanticVersion.TryParse(value.Text, out var w) && w < version,
        };
    }

    private bool Contains(AttributeValue value)
    {
        if (set is not null)
        {
            return set.Contains(value);
        }

        foreach (var candidate in list)
        {
            if (candidate.Kind == value.Kind && candidate.Number == value.Number && string.Equals(candidate.Text, value.Text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    internal override void Collect(List<string> names)
    {
        if (!names.Contains(Attribute))
        {
            names.Add(Attribute);
        }
    }
}
