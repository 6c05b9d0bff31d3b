using System.Text;

namespace Rampart.Llm.Providers;

/// <summary>
/// Takes a provider's API key out of what its upstream sent back (an error body or answer that echoes the request's
/// headers), so the key never reaches the caller, the stored event or the log.
/// </summary>
internal static class SecretText
{
    /// <summary>What stands in for the key.</summary>
    public const string Redacted = "[redacted]";

    private static readonly byte[] RedactedUtf8 = Encoding.UTF8.GetBytes(Redacted);

    /// <summary><paramref name="text"/> with every occurrence of <paramref name="secret"/> replaced.</summary>
    public static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, Redacted, StringComparison.Ordinal);

    /// <summary><paramref name="utf8"/> with every occurrence of <paramref name="secret"/> replaced (the same array when there is none).</summary>
    public static byte[] Redact(byte[] utf8, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return utf8;
        }

        var needle = Encoding.UTF8.GetBytes(secret);
        var rest = utf8.AsSpan();
        var at = rest.IndexOf(needle);
        if (at < 0)
        {
            return utf8;
        }

        using var output = new MemoryStream(utf8.Length);
        while (at >= 0)
        {
            output.Write(rest[..at]);
            output.Write(RedactedUtf8);
            rest = rest[(at + needle.Length)..];
            at = rest.IndexOf(needle);
        }

        output.Write(rest);
        return output.ToArray();
    }
}
