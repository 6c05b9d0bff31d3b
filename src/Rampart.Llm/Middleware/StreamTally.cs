using Microsoft.Extensions.AI;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Middleware;

/// <summary>
/// What a streamed answer has delivered so far: its text as a completion keeps it (<see cref="StoredText"/>, cut where the
/// gateway cuts it), usage, model and the time to its first token.
/// </summary>
internal sealed class StreamTally(TimeProvider timeProvider, long startTimestamp)
{
    private readonly StoredText text = new(UpstreamLimits.DefaultMaxStoredOutputChars);
    private bool first = true;

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
                    text.Append(piece.Text);
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
}
