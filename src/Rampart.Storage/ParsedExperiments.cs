using System.Collections.Concurrent;
using Rampart.Core.Rollouts;

namespace Rampart.Storage;

/// <summary>
/// The experiments a store has read, each kept with the stored row it was made from, so a read parses only the rows that
/// changed since: a definition may take a few megabytes, and each server lists every experiment about twice a second (its
/// snapshots and its monitor). Rows are compared without their definitions' text, for which the row's <c>version</c>
/// (which every write through a store bumps) and the text's length in bytes stand; everything else is compared as stored.
/// A row that cannot be read is not kept, so a mend is seen at the next read, whatever it changed. Only experiments still
/// stored are kept: a listing forgets the rest. Sharing them is safe: an <see cref="Experiment"/> is immutable.
/// </summary>
/// <typeparam name="TRow">A stored experiment row without its definition's text; equal rows make equal experiments.</typeparam>
internal sealed class ParsedExperiments<TRow>
    where TRow : IEquatable<TRow>
{
    private readonly ConcurrentDictionary<string, (TRow Row, Experiment Experiment)> kept = new(StringComparer.Ordinal);

    /// <summary>How many experiments are kept (tests: never more than are stored).</summary>
    public int Count => kept.Count;

    /// <summary>
    /// The experiments of <paramref name="rows"/> (all of one snapshot, by key) and those that cannot be read, as
    /// <see cref="UnreadableRows.ReadEach"/> gives them. A row equal to the one an experiment was made from gives that
    /// experiment again; for the others, <paramref name="definitions"/> fetches the definitions' text by key (from the same
    /// snapshot) and <paramref name="read"/> makes the experiment of a row and its definition. <paramref name="only"/> is the
    /// key the rows were read for, or null when they are every stored row.
    /// </summary>
    public async Task<ExperimentListResult> ReadAsync(
        IReadOnlyList<TRow> rows,
        Func<TRow, string> keyOf,
        Func<IReadOnlyList<string>, Task<IReadOnlyDictionary<string, string>>> definitions,
        Func<TRow, string, Experiment> read,
        string? only)
    {
        // Looked up once: another read may replace an entry meanwhile, and this one must use the definitions it fetched.
        var looked = new List<(TRow Row, string Key, Experiment? Kept)>(rows.Count);
        foreach (var row in rows)
        {
            var key = keyOf(row);
            looked.Add((row, key, kept.TryGetValue(key, out var entry) && entry.Row.Equals(row) ? entry.Experiment : null));
        }

        var changed = looked.Where(r => r.Kept is null).Select(r => r.Key).ToList();
        var texts = changed.Count == 0 ? null : await definitions(changed).ConfigureAwait(false);
        var result = UnreadableRows.ReadEach(looked, r => r.Key, r =>
        {
            if (r.Kept is { } experiment)
            {
                return experiment;
            }

            experiment = read(r.Row, texts![r.Key]);
            kept[r.Key] = (r.Row, experiment);
            return experiment;
        });

        foreach (var unreadable in result.Unreadable)
        {
            kept.TryRemove(unreadable.Key, out _);
        }

        if (only is null)
        {
            var stored = looked.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in kept.Keys.Where(key => !stored.Contains(key)))
            {
                kept.TryRemove(key, out _);
            }
        }
        else if (looked.Count == 0)
        {
            kept.TryRemove(only, out _);
        }

        return result;
    }
}
