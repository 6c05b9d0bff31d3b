using Rampart.Llm.Providers;

namespace Rampart.Llm.Middleware;

/// <summary>
/// The answer text a middleware call keeps for its completion (and its judges): at most the gateway's default
/// <see cref="UpstreamLimits.MaxStoredOutputChars"/>, cut as the gateway cuts it, so the same call stores the same output either way.
/// </summary>
internal static class StoredOutput
{
    public const int MaxChars = UpstreamLimits.DefaultMaxStoredOutputChars;

    /// <summary><paramref name="text"/>, cut at <see cref="MaxChars"/> when longer.</summary>
    public static string? Of(string? text) => text is null || text.Length <= MaxChars ? text : Cut(text, MaxChars);

    /// <summary>The first <paramref name="room"/> characters of <paramref name="text"/> (never half a surrogate pair) and <see cref="UpstreamLimits.TruncatedMarker"/>.</summary>
    public static string Cut(string text, int room)
    {
        room = Math.Clamp(room, 0, text.Length);
        if (room > 0 && char.IsHighSurrogate(text[room - 1]))
        {
            room--;
        }

        return string.Concat(text.AsSpan(0, room), UpstreamLimits.TruncatedMarker);
    }
}
