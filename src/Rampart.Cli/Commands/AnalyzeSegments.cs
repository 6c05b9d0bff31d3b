using Rampart.Analysis;
using Rampart.Analysis.Segments;
using Rampart.Core.Events;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart analyze --events FILE --by ATTRIBUTE</c>: the file's events of one experiment, as <c>analyze</c> counts them (bad
/// lines and out-of-range numbers skipped, as <c>--skip-invalid</c> reported them; a repeated id counted once), split by segment.
/// </summary>
internal static class AnalyzeSegments
{
    public static SegmentedResults Run(FileInfo file, string experiment, string by, AnalysisOptions options)
    {
        using var stream = file.OpenRead();
        try
        {
            return SegmentedAnalyzer.Analyze(Events(stream, experiment), experiment, by, options);
        }
        catch (AnalysisException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private static IEnumerable<ExperimentEvent> Events(Stream stream, string experiment)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in EventLineReader.Read(stream))
        {
            if (line.Event is { } e && e.Experiment == experiment && EventNumberRules.Problem(e) is null && (e.Id is null || ids.Add(e.Id)))
            {
                yield return e;
            }
        }
    }
}
