using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Storage;

/// <summary>Turns stored experiment rows into experiments one by one, so a row that cannot be read is named and skipped.</summary>
internal static class UnreadableRows
{
    /// <summary>
    /// The experiment <paramref name="read"/> makes of each row, in order; a row it throws on is listed as unreadable with why,
    /// and the rows after it are still read.
    /// </summary>
    public static ExperimentListResult ReadEach<TRow>(IReadOnlyList<TRow> rows, Func<TRow, string> key, Func<TRow, Experiment> read)
    {
        var readable = new List<Experiment>(rows.Count);
        var unreadable = new List<UnreadableExperiment>();
        foreach (var row in rows)
        {
            try
            {
                readable.Add(read(row));
            }
#pragma warning disable CA1031 // Reading a row is pure work on values already fetched: whatever it throws is that row's damage, not the store's.
            catch (Exception e)
#pragma warning restore CA1031
            {
                unreadable.Add(new UnreadableExperiment(key(row), Reason(e)));
            }
        }

        return new ExperimentListResult(readable, unreadable);
    }

    /// <summary>The experiment of the one row read for a key, null when there is none; throws when it cannot be read.</summary>
    public static Experiment? Single(ExperimentListResult found) => found switch
    {
        { Unreadable: [var unreadable, ..] } => throw new UnreadableExperimentException(unreadable),
        { Experiments: [var experiment, ..] } => experiment,
        _ => null,
    };

    // A sentence: a refused definition may list many problems, one per line; the first stands for them.
    private static string Reason(Exception e) => e switch
    {
        ExperimentValidationException { Problems: [var first, ..] } refused =>
            $"its stored definition is refused: {first}{(refused.Problems.Count > 1 ? $" (and {refused.Problems.Count - 1} more problem(s))" : "")}",
        _ => e.Message,
    };
}
