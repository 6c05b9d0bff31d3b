using System.Globalization;

namespace Rampart.Core.Targeting;

/// <summary>
/// A semantic version for <c>semver_gte</c> / <c>semver_lt</c> (docs/targeting.md): <c>MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]</c>,
/// an optional leading <c>v</c>; missing parts are 0, build metadata is ignored, and precedence follows semver.org §11 (a
/// pre-release sorts before its release; its dot-separated identifiers compare numerically when numeric, else ordinally).
/// </summary>
public readonly struct SemanticVersion : IComparable<SemanticVersion>
{
    private readonly string[]? prerelease;

    private SemanticVersion(long major, long minor, long patch, string[]? prerelease)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        this.prerelease = prerelease;
    }

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
        if (span[0] is 'v' or 'V')
        {
            span = span[1..];
        }

        var plus = span.IndexOf('+');
        if (plus >= 0)
        {
            span = span[..plus];
        }

        string[]? pre = null;
        var dash = span.IndexOf('-');
        if (dash >= 0)
        {
            pre = span[(dash + 1)..].ToString().Split('.');
            if (pre.Any(p => p.Length == 0))
            {
                return false;
            }

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

        version = new SemanticVersion(parts[0], parts[1], parts[2], pre);
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

        if (prerelease is null || other.prerelease is null)
        {
            return (prerelease is null ? 1 : 0) - (other.prerelease is null ? 1 : 0);
        }

        for (var i = 0; i < Math.Min(prerelease.Length, other.prerelease.Length); i++)
        {
            c = CompareIdentifier(prerelease[i], other.prerelease[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return prerelease.Length.CompareTo(other.prerelease.Length);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SemanticVersion other && CompareTo(other) == 0;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, prerelease?.Length ?? -1);

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

    private static int CompareIdentifier(string a, string b)
    {
        var aNumeric = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var x);
        var bNumeric = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var y);
        return (aNumeric, bNumeric) switch
        {
            (true, true) => x.CompareTo(y),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(a, b),
        };
    }
}
