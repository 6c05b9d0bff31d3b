using System.Collections.Concurrent;

namespace Rampart.Server.Results;

/// <summary>
/// The last timeline answer per experiment, reused while nothing changed: the same experiment version, no event stored
/// since (the follower's position) and the same number of windows. A dashboard refreshing every few seconds then reads
/// the experiment's events only when there are new ones.
/// </summary>
internal sealed class TimelineCache
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The cached answer, or null.</summary>
    public IResult? Find(string key, long version, long position, int windows) =>
        entries.TryGetValue(key, out var entry) && entry.Version == version && entry.Position == position && entry.Windows == windows
            ? entry.Result
            : null;

    /// <summary>Keeps <paramref name="result"/> and returns it.</summary>
    public IResult Store(string key, long version, long position, int windows, IResult result)
    {
        entries[key] = new Entry(version, position, windows, result);
        return result;
    }

    private sealed record Entry(long Version, long Position, int Windows, IResult Result);
}
