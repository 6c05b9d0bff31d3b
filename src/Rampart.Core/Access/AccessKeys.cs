using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Rampart.Core.Access;

/// <summary>
/// Creates and hashes API keys. A generated key carries 256 random bits, so a single unsalted SHA-256 is enough to
/// store it: nobody can search a 2²⁵⁶ space, and a slow password hash (bcrypt, Argon2) would only add its cost to every
/// request. Keys are matched by comparing hashes with <see cref="CryptographicOperations.FixedTimeEquals"/>.
/// </summary>
public static partial class AccessKeys
{
    /// <summary>The prefix of generated keys, which makes them easy to find in leaked text (secret scanners).</summary>
    public const string Prefix = "rpk_";

    // The fewest characters a key given by hand (RAMPART_ADMIN_KEY) may have.
    private const int MinimumLength = 20;

    /// <summary>A new key with 256 random bits, and its stored form.</summary>
    /// <exception cref="ArgumentException">when <paramref name="name"/> is not a valid key name (see <see cref="IsValidName"/>).</exception>
    public static NewAccessKey Generate(string name, KeyScope scope, DateTimeOffset now)
    {
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        return new NewAccessKey(secret, Describe(secret, name, scope, now));
    }

    /// <summary>The stored form of a key given by hand.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException">when <paramref name="secret"/> may not be used as a key (see <see cref="Problem"/>) or <paramref name="name"/> is not a valid key name (see <see cref="IsValidName"/>).</exception>
    public static AccessKey Describe(string secret, string name, KeyScope scope, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (Problem(secret) is { } problem)
        {
            throw new ArgumentException(problem, nameof(secret));
        }

        if (!IsValidName(name))
        {
            throw new ArgumentException($"Key name '{name}' is invalid; use 1 to 64 letters, digits, '.', '-' or '_'.", nameof(name));
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return new AccessKey(id, name, scope, Hash(secret), now);
    }

    /// <summary>What is wrong with a key given by hand, or null when it may be used.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="secret"/> is null.</exception>
    public static string? Problem(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length < MinimumLength ? $"a key must have at least {MinimumLength} characters (a generated one has 47)"
            : secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "a key may not contain spaces or control characters"
            : null;
    }

    /// <summary>SHA-256 of the key's UTF-8 text.</summary>
    /// <exception cref="ArgumentNullException">when <paramref name="secret"/> is null.</exception>
    public static ImmutableArray<byte> Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(secret))];
    }

    /// <summary>True when <paramref name="name"/> can name a key.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex NamePattern();
}
