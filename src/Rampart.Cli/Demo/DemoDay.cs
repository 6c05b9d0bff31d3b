using System.Globalization;
using Rampart.Core.Events;

namespace Rampart.Cli.Demo;

/// <summary>One simulated day's traffic per variant, for the demo's progress lines.</summary>
internal sealed class DemoDay(IReadOnlyList<string> variants)
{
    private readonly Dictionary<string, (long Requests, long Errors, long Feedback, double Satisfied)> figures = new(StringComparer.Ordinal);
    private long users;

    public void Add(ExperimentEvent e)
    {
        var (requests, errors, feedback, satisfied) = figures.GetValueOrDefault(e.Variant);
        switch (e.Type)
        {
            case EventType.Exposure:
                users++;
                break;
            case EventType.Completion:
                requests++;
                errors += e.Error is null ? 0 : 1;
                break;
            default:
                feedback++;
                satisfied += e.Value ?? 0;
                break;
        }

        figures[e.Variant] = (requests, errors, feedback, satisfied);
    }

    /// <summary>"8,400 new users, 25,190 requests; satisfaction control 78.0% · …; errors control 1.0% · …".</summary>
    public string Describe()
    {
        var requests = figures.Values.Sum(f => f.Requests);
        var satisfaction = string.Join(" · ", variants.Where(figures.ContainsKey).Select(v =>
            $"{v} {Percent(figures[v].Satisfied, figures[v].Feedback)}"));
        var errors = string.Join(" · ", variants.Where(figures.ContainsKey).Select(v =>
            $"{v} {Percent(figures[v].Errors, figures[v].Requests)}"));
        return string.Create(CultureInfo.InvariantCulture, $"{users:N0} new users, {requests:N0} requests; satisfaction {satisfaction}; errors {errors}");
    }

    public void Clear()
    {
        figures.Clear();
        users = 0;
    }

    private static string Percent(double part, long whole) =>
        whole == 0 ? "–" : (100 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
