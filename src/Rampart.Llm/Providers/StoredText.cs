using System.Text;

namespace Rampart.Llm.Providers;

/// <summary>
/// The answer text a completion keeps, appended piece by piece: at most a limit of characters
/// (<see cref="UpstreamLimits.MaxStoredOutputChars"/>), cut there (never half a surrogate pair) and ended with
/// <see cref="UpstreamLimits.TruncatedMarker"/>, so a huge answer is never held whole nor stored whole. The gateway's calls
/// and the in-process middleware's keep it the same way.
/// </summary>
internal sealed class StoredText(int maxChars)
{
    private readonly StringBuilder text = new();
    private bool truncated;

    /// <summary><paramref name="whole"/> as it is kept: itself when within <paramref name="maxChars"/>, else cut.</summary>
    public static string? Of(string? whole, int maxChars)
    {
        if (whole is null || whole.Length <= maxChars)
        {
            return whole;
        }

        var kept = new StoredText(maxChars);
        kept.Append(whole);
        return kept.ToString();
    }

    /// <summary>Appends <paramref name="piece"/>, or as much of it as the limit leaves room for; nothing once cut.</summary>
    public void Append(string piece)
    {
        if (truncated)
        {
            return;
        }

        var room = maxChars - text.Length;
        if (piece.Length <= room)
        {
            text.Append(piece);
            return;
        }

        room = Math.Max(room, 0);
        if (room > 0 && char.IsHighSurrogate(piece[room - 1]))
        {
            room--; // never keep half of a surrogate pair
        }

        text.Append(piece.AsSpan(0, room)).Append(UpstreamLimits.TruncatedMarker);
        truncated = true;
    }

    /// <inheritdoc />
    public override string ToString() => text.ToString();
}
