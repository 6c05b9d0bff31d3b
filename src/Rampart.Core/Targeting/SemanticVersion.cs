using System.Globalization;

namespace Rampart.Core.Targeting;

/// <summary>
/// A semantic version for <c>semver_gte</c> / <c>semver_lt</c> (docs/targeting.md): <c>MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]</c>,
/// an optional leading <c>v</c>; missing parts are 0, build metadata is ignored, and precedence follows semver.org §11 (a
/// pre-release sorts before its release; its dot-separated identifiers compare numerically when numeric, else ordinally).
/// </summary>
public readonly struct SemanticVersion : IComparable<SemanticVersion>
{
    // The pre-release identifiers are a slice of the text parsed, kept as the text and a range rather than split into strings:
    // TargetingCondition.Matches parses a unit's version on every assignment, which must not allocate.
    private readonly string? text;
    private readonly int prereleaseStart;
    private readonly int prereleaseLength;

    private SemanticVersion(long major, long minor, long patch, string? text, int prereleaseStart, int prereleaseLength)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        this.text = text;
        this.prereleaseStart = prereleaseStart;
        this.prereleaseLength = prereleaseLength;
    }

    private bool HasPrerelease => text is not null;

    private ReadOnlySpan<char> Prerelease => text.AsSpan(prereleaseStart, prereleaseLength);

    /// <summary>The major version.</summary>
    public long Major { get; }

    /// <summary>The minor version.</summary>
    public long Minor { get; }

    /// <summary>The patch version.</summary>
    public long Patch { get; }

    /// <summary>Reads <paramref name="text"/>; false when it is not a version.</summary>
    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text) || text.Length > 128)
        {
            return false;
        }

        var span = text.AsSpan();
        var offset = 0;
        if (span[0] is 'v' or 'V')
        {
            span = span[1..];
            offset = 1;
        }

        var plus = span.IndexOf('+');
        if (plus >= 0)
        {
            span = span[..plus];
        }

        var dash = span.IndexOf('-');
        var (preStart, preLength) = (0, 0);
        if (dash >= 0)
        {
            var pre = span[(dash + 1)..];
            foreach (var identifier in pre.Split('.'))
            {
                if (pre[identifier].IsEmpty)
                {
                    return false;
                }
            }

            (preStart, preLength) = (offset + dash + 1, pre.Length);
            span = span[..dash];
        }

        Span<long> parts = [0, 0, 0];
        var count = 0;
        foreach (var range in span.Split('.'))
        {
            if (count == 3 || !long.TryParse(span[range], NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
            {
                return false;
            }

            count++;
        }

        version = new SemanticVersion(parts[0], parts[1], parts[2], dash >= 0 ? text : null, preStart, preLength);
        return count > 0;
    }

    /// <inheritdoc />
    public int CompareTo(SemanticVersion other)
    {
        var c = Major.CompareTo(other.Major);
        c = c != 0 ? c : Minor.CompareTo(other.Minor);
        c = c != 0 ? c : Patch.CompareTo(other.Patch);
        if (c != 0)
        {
            return c;
        }

        if (!HasPrerelease || !other.HasPrerelease)
        {
            return (HasPrerelease ? 0 : 1) - (other.HasPrerelease ? 0 : 1);
        }

        var mine = Prerelease;
        var theirs = other.Prerelease;
        var left = mine.Split('.');
        var right = theirs.Split('.');
        while (true)
        {
            var (hasLeft, hasRight) = (left.MoveNext(), right.MoveNext());
            if (!hasLeft || !hasRight)
            {
                // The shorter list of identifiers, equal so far, precedes.
                return (hasLeft ? 1 : 0) - (hasRight ? 1 : 0);
            }

            c = CompareIdentifier(mine[left.Current], theirs[right.Current]);
            if (c != 0)
            {
                return c;
            }
        }
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SemanticVersion other && CompareTo(other) == 0;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, HasPrerelease ? Prerelease.Count('.') : -1);

    /// <summary>True when <paramref name="left"/> precedes <paramref name="right"/>.</summary>
    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> follows <paramref name="right"/>.</summary>
    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> does not follow <paramref name="right"/>.</summary>
    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> does not precede <paramref name="right"/>.</summary>
    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    /// <summary>True when both have the same precedence.</summary>
    public static bool operator ==(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) == 0;

    /// <summary>True when they differ in precedence.</summary>
    public static bool operator !=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) != 0;

    private static int CompareIdentifier(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var aNumeric = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var x);
        var bNumeric = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var y);
        return (aNumeric, bNumeric) switch
        {
            (true, true) => x.CompareTo(y),
            (true, false) => -1,
            (false, true) => 1,
            _ => a.SequenceCompareTo(b),
        };
    }
}
