namespace Rampart.Core.Targeting;

/// <summary>What a targeting condition tests (docs/targeting.md).</summary>
public enum TargetingOperator
{
    /// <summary><c>eq</c>: the attribute equals the value (same kind).</summary>
    Eq,

    /// <summary><c>in</c>: the attribute is one of the values.</summary>
    In,

    /// <summary><c>not_in</c>: the attribute is given and is none of the values.</summary>
    NotIn,

    /// <summary><c>exists</c>: the attribute is given (true) or not (false).</summary>
    Exists,

    /// <summary><c>gt</c>: the attribute is a number above the value.</summary>
    Gt,

    /// <summary><c>lt</c>: the attribute is a number below the value.</summary>
    Lt,

    /// <summary><c>semver_gte</c>: the attribute is a version at or after the value.</summary>
    SemverGte,

    /// <summary><c>semver_lt</c>: the attribute is a version before the value.</summary>
    SemverLt,
}
