using System.Globalization;
using Rampart.Core.Events;

namespace Rampart.Cli.Demo;

/// <summary>One simulated day's traffic per variant, for the demo's progress lines: people's satisfaction, each judge's mean score, errors.</summary>
internal sealed class DemoDay(IReadOnlyList<string> variants, string primaryScore, IReadOnlyList<string> judgeScores)
{
    private readonly Dictionary<string, (long Requests, long Errors)> calls = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Score, string Variant), (long Count, double Sum)> scores = [];
    private readonly Dictionary<string, (long Calls, long Errors)> shadowCalls = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Score, string Variant), (long Count, double Sum)> shadowScores = [];
    private long users;

    public void Add(ExperimentEvent e)
    {
        if (e.Shadow)
        {
            AddShadow(e);
            return;
        }

        switch (e.Type)
        {
            case EventType.Exposure:
                users++;
                break;
            case EventType.Completion:
                var (requests, errors) = calls.GetValueOrDefault(e.Variant);
                calls[e.Variant] = (requests + 1, errors + (e.Error is null ? 0 : 1));
                break;
            default:
                if (e.Score is { } score && e.Value is { } value)
                {
                    var (count, sum) = scores.GetValueOrDefault((score, e.Variant));
                    scores[(score, e.Variant)] = (count + 1, sum + value);
                }

                break;
        }
    }

    /// <summary>"8,400 new users, 25,190 requests; satisfaction control 78.0% · …; judge helpfulness control 0.80 · …; errors control 1.0% · …".</summary>
    public string Describe()
    {
        var requests = calls.Values.Sum(f => f.Requests);
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{users:N0} new users, {requests:N0} requests") };
        parts.Add("satisfaction " + Join(v => Mean(primaryScore, v) is { } m ? Percent(m) : "–"));
        foreach (var judge in judgeScores)
        {
            parts.Add($"judge {judge["judge_".Length..]} " + Join(v => Mean(judge, v) is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) : "–"));
        }

        parts.Add("errors " + Join(v => calls.TryGetValue(v, out var c) && c.Requests > 0 ? Percent((double)c.Errors / c.Requests) : "–"));
        if (shadowCalls.Count > 0)
        {
            parts.Add("in shadow (answers nobody saw) " + string.Join(" · ", variants.Where(shadowCalls.ContainsKey).Select(v =>
            {
                var (count, errors) = shadowCalls[v];
                var judged = string.Concat(judgeScores.Select(j => shadowScores.TryGetValue((j, v), out var s) && s.Count > 0
                    ? string.Create(CultureInfo.InvariantCulture, $", judge {s.Sum / s.Count:0.00}")
                    : ""));
                return string.Create(CultureInfo.InvariantCulture, $"{v} {count:N0} calls, errors {Percent((double)errors / count)}{judged}");
            })));
        }

        return string.Join("; ", parts);
    }

    public void Clear()
    {
        calls.Clear();
        scores.Clear();
        shadowCalls.Clear();
        shadowScores.Clear();
        users = 0;
    }

    private void AddShadow(ExperimentEvent e)
    {
        if (e.Type == EventType.Completion)
        {
            var (count, errors) = shadowCalls.GetValueOrDefault(e.Variant);
            shadowCalls[e.Variant] = (count + 1, errors + (e.Error is null ? 0 : 1));
        }
        else if (e.Score is { } score && e.Value is { } value)
        {
            var (count, sum) = shadowScores.GetValueOrDefault((score, e.Variant));
            shadowScores[(score, e.Variant)] = (count + 1, sum + value);
        }
    }

    private string Join(Func<string, string> figure) =>
        string.Join(" · ", variants.Where(calls.ContainsKey).Select(v => $"{v} {figure(v)}"));

    private double? Mean(string score, string variant) =>
        scores.TryGetValue((score, variant), out var s) && s.Count > 0 ? s.Sum / s.Count : null;

    private static string Percent(double share) => (100 * share).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
