using System.Text;
using Microsoft.Extensions.AI;

namespace Rampart.Llm.Middleware;

/// <summary>What a streamed answer has delivered so far: text (up to <see cref="StoredOutput.MaxChars"/>), usage, model and the time to its first token.</summary>
internal sealed class StreamTally(TimeProvider timeProvider, long startTimestamp)
{
    private readonly StringBuilder text = new();
    private bool first = true;
    private bool truncated;

    public double? TtftMs { get; private set; }

    public UsageDetails? Usage { get; private set; }

    public string? Model { get; private set; }

    public string Text => text.ToString();

    /// <summary>Takes in one update; true for the first one.</summary>
    public bool Observe(ChatResponseUpdate update)
    {
        Model = update.ModelId ?? Model;
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } piece:
                    TtftMs ??= timeProvider.GetElapsedTime(startTimestamp).TotalMilliseconds;
                    Append(piece.Text);
                    break;
                case FunctionCallContent:
                    TtftMs ??= timeProvider.GetElapsedTime(startTimestamp).TotalMilliseconds;
                    break;
                case UsageContent usage:
                    Usage ??= new UsageDetails();
                    Usage.Add(usage.Details);
                    break;
            }
        }

        var wasFirst = first;
        first = false;
        return wasFirst;
    }

    // The text kept stops where the gateway's does, so a long answer is neither held whole here nor stored whole.
    private void Append(string piece)
    {
        if (truncated)
        {
            return;
        }

        var room = StoredOutput.MaxChars - text.Length;
        if (piece.Length <= room)
        {
            text.Append(piece);
            return;
        }

        text.Append(StoredOutput.Cut(piece, room));
        truncated = true;
    }
}
