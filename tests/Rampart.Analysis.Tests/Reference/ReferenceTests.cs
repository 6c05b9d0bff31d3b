using System.Text.Json.Nodes;
using Rampart.Analysis.Reading;
using Rampart.Analysis.Results;

namespace Rampart.Analysis.Tests.Reference;

/// <summary>
/// Every number of the results document for <see cref="ReferenceDataSet"/>, checked against values computed independently
/// by <c>reference.py</c> (SciPy 1.10.1, statsmodels 0.13.5, NumPy 1.24 from Debian's python3-scipy/python3-statsmodels),
/// pasted below with the call that produced each. In the calls, <c>c</c>/<c>v</c> are the control's/variant's values,
/// <c>x</c>/<c>n</c> successes/trials, <c>delta(Y, N)</c> the delta-method variance of the per-unit sums (reference.py).
/// Tolerances (the issue's): counts exact; means, lifts, CIs and quantiles 1e-6 relative; p-values 1e-4 absolute.
/// </summary>
public sealed class ReferenceTests
{
    private const double Relative = 1e-6;
    private const double PValueAbsolute = 1e-4;

    private static readonly Lazy<Dictionary<string, JsonNode>> Documents = new(Analyse);

    public static TheoryData<string, string> Cases => [.. Expected.Select(e => (e.Scenario, e.Path))];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyze_ReferenceDataSet_MatchesSciPy(string scenario, string path)
    {
        var reference = Expected.Single(e => e.Scenario == scenario && e.Path == path).Value;

        var actual = Resolve(Documents.Value[scenario], path);

        if (reference is not { } expected)
        {
            Assert.Null(actual);
            AssertNullExplained(Documents.Value[scenario], path);
            return;
        }

        Assert.NotNull(actual);
        var value = actual.GetValue<double>();
        var last = path[(path.LastIndexOf('.') + 1)..];
        if (IsCount(path))
        {
            Assert.Equal(expected, value);
        }
        else if (last.StartsWith("p_value", StringComparison.Ordinal))
        {
            Assert.True(Math.Abs(value - expected) <= PValueAbsolute, $"{path}: expected p = {expected:R}, got {value:R}");
        }
        else
        {
            Assert.True(Math.Abs(value - expected) <= Relative * Math.Abs(expected), $"{path}: expected {expected:R} within 1e-6 relative, got {value:R}");
        }
    }

    [Theory]
    [InlineData("binary", "user_satisfaction", "z")]
    [InlineData("binary", "error_rate", "z")]
    [InlineData("binary", "latency_ms", "welch")]
    [InlineData("binary", "cost_usd", "welch")]
    [InlineData("continuous", "helpfulness", "welch")]
    public void Analyze_ReferenceDataSet_SaysWhichTestReferencePyUsed(string scenario, string metric, string test)
    {
        // reference.py: "proportion" (chi2_contingency, confint_proportions_2indep) is "z"; "welch" (ttest_ind, tconfint_diff) is "welch".
        foreach (var variant in new[] { "variant_a", "variant_b" })
        {
            Assert.Equal(test, (string?)Resolve(Documents.Value[scenario], $"variants.{variant}.vs_control.{metric}.test"));
        }
    }

    [Fact]
    public void Analyze_ReferenceDataSet_FindsEveryLine()
    {
        var sut = EventFileReader.Read(ReferenceDataSet.Path);

        Assert.Equal(File.ReadAllLines(ReferenceDataSet.Path).Count(l => l.Trim().Length > 0), sut.Events);
        Assert.Equal(0, sut.SkippedLines);
    }

    // "variants.variant_b.vs_control.helpfulness.p_value_clustered" is null: a reason names the comparison and the field.
    private static void AssertNullExplained(JsonNode document, string path)
    {
        var parts = path.Split('.');
        var prefix = $"{parts[1]} vs control on {parts[3]}: ";
        var recommendation = document["recommendation"]!;
        var reasons = recommendation["reasons"]!.AsArray().Concat(recommendation["details"]!.AsArray()).Select(r => (string)r!);
        Assert.Contains(reasons, r => r.StartsWith(prefix, StringComparison.Ordinal) && r.Contains(parts[4], StringComparison.Ordinal));
    }

    private static bool IsCount(string path) =>
        path.EndsWith(".units", StringComparison.Ordinal) || path.EndsWith(".requests", StringComparison.Ordinal)
        || path.EndsWith(".errors", StringComparison.Ordinal) || path.EndsWith(".n", StringComparison.Ordinal)
        || path.Contains(".tokens.", StringComparison.Ordinal);

    private static Dictionary<string, JsonNode> Analyse()
    {
        var weighted = new AnalysisOptions { Variants = ["control", "variant_a", "variant_b"], Weights = [50, 25, 25] };
        var all = EventFileReader.Read(ReferenceDataSet.Path).Experiments.Single();
        var lines = File.ReadAllLines(ReferenceDataSet.Path).Where(l => !l.Contains("\"type\":\"exposure\"", StringComparison.Ordinal));
        var withoutExposures = EventFileReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)))).Experiments.Single();
        return new Dictionary<string, JsonNode>
        {
            ["binary"] = Json(ExperimentAnalyzer.Analyze(all, weighted)),
            ["continuous"] = Json(ExperimentAnalyzer.Analyze(all, new AnalysisOptions { PrimaryScore = "helpfulness" })),
            ["no-exposures"] = Json(ExperimentAnalyzer.Analyze(withoutExposures, weighted)),
        };
    }

    private static JsonNode Json(ResultsDocument document) => JsonNode.Parse(ResultsJson.Serialize(document))!;

    // "variants.variant_a.vs_control.latency_ms.ci95[1]": variants are found by name, [i] indexes an array.
    private static JsonNode? Resolve(JsonNode document, string path)
    {
        var parts = path.Split('.');
        var node = document;
        for (var i = 0; i < parts.Length && node is not null; i++)
        {
            var part = parts[i];
            if (part == "variants")
            {
                var name = parts[++i];
                node = node["variants"]!.AsArray().Single(v => (string?)v!["name"] == name);
                continue;
            }

            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0 ? node[part] : node[part[..bracket]]?[int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
        }

        return node;
    }

    // Value null: the field must be null, with a reason (e.g. fewer units than MinimumUnits.PerVariant).
    private sealed record ReferenceValue(string Scenario, string Path, double? Value);

    // /usr/bin/python3 tests/Rampart.Analysis.Tests/Reference/reference.py
    private static readonly ReferenceValue[] Expected =
    [
        new("binary", "variants.control.units", 181), // len({e['unit'] for e in exposures if e['variant'] == 'control'})
        new("binary", "variants.variant_a.units", 96), // len({e['unit'] for e in exposures if e['variant'] == 'variant_a'})
        new("binary", "variants.variant_b.units", 83), // len({e['unit'] for e in exposures if e['variant'] == 'variant_b'})
        new("binary", "srm.p_value", 0.6218850564650201), // scipy.stats.chisquare(units, w / w.sum() * units.sum()).pvalue
        new("binary", "variants.control.requests", 540), // len(completions)
        new("binary", "variants.control.errors", 25), // sum(e['error'] is not None for e in completions)
        new("binary", "variants.control.error_rate", 0.046296296296296294), // errors / requests
        new("binary", "variants.control.latency_ms.mean", 929.4728155339806), // np.mean(latency of successful completions)
        new("binary", "variants.control.latency_ms.p50", 901.2), // np.percentile(latency, 50)  # type 7
        new("binary", "variants.control.latency_ms.p95", 1369.25), // np.percentile(latency, 95)  # type 7
        new("binary", "variants.control.latency_ms.p99", 1544.7660000000003), // np.percentile(latency, 99)  # type 7
        new("binary", "variants.control.cost_usd.mean", 0.009412409638554217), // np.mean(non-null cost_usd)
        new("binary", "variants.control.cost_usd.total", 4.68738), // np.sum(non-null cost_usd)
        new("binary", "variants.control.tokens.prompt", 64118), // sum(prompt_tokens)
        new("binary", "variants.control.tokens.completion", 52860), // sum(completion_tokens)
        new("binary", "variants.control.tokens.total", 116978), // prompt + completion
        new("binary", "variants.variant_a.requests", 288), // len(completions)
        new("binary", "variants.variant_a.errors", 8), // sum(e['error'] is not None for e in completions)
        new("binary", "variants.variant_a.error_rate", 0.027777777777777776), // errors / requests
        new("binary", "variants.variant_a.latency_ms.mean", 1063.21), // np.mean(latency of successful completions)
        new("binary", "variants.variant_a.latency_ms.p50", 1023.25), // np.percentile(latency, 50)  # type 7
        new("binary", "variants.variant_a.latency_ms.p95", 1553.875), // np.percentile(latency, 95)  # type 7
        new("binary", "variants.variant_a.latency_ms.p99", 1747.9609999999998), // np.percentile(latency, 99)  # type 7
        new("binary", "variants.variant_a.cost_usd.mean", 0.009608931297709924), // np.mean(non-null cost_usd)
        new("binary", "variants.variant_a.cost_usd.total", 2.51754), // np.sum(non-null cost_usd)
        new("binary", "variants.variant_a.tokens.prompt", 33845), // sum(prompt_tokens)
        new("binary", "variants.variant_a.tokens.completion", 29214), // sum(completion_tokens)
        new("binary", "variants.variant_a.tokens.total", 63059), // prompt + completion
        new("binary", "variants.variant_b.requests", 262), // len(completions)
        new("binary", "variants.variant_b.errors", 29), // sum(e['error'] is not None for e in completions)
        new("binary", "variants.variant_b.error_rate", 0.11068702290076336), // errors / requests
        new("binary", "variants.variant_b.latency_ms.mean", 884.755364806867), // np.mean(latency of successful completions)
        new("binary", "variants.variant_b.latency_ms.p50", 876.3), // np.percentile(latency, 50)  # type 7
        new("binary", "variants.variant_b.latency_ms.p95", 1209.2399999999998), // np.percentile(latency, 95)  # type 7
        new("binary", "variants.variant_b.latency_ms.p99", 1471.4240000000004), // np.percentile(latency, 99)  # type 7
        new("binary", "variants.variant_b.cost_usd.mean", 0.009607725321888411), // np.mean(non-null cost_usd)
        new("binary", "variants.variant_b.cost_usd.total", 2.2386), // np.sum(non-null cost_usd)
        new("binary", "variants.variant_b.tokens.prompt", 31140), // sum(prompt_tokens)
        new("binary", "variants.variant_b.tokens.completion", 26328), // sum(completion_tokens)
        new("binary", "variants.variant_b.tokens.total", 57468), // prompt + completion
        new("binary", "variants.control.scores.user_satisfaction.n", 351), // count after latest-per-request_id dedup
        new("binary", "variants.control.scores.user_satisfaction.mean", 0.6552706552706553), // np.mean(values)
        new("binary", "variants.control.scores.helpfulness.n", 215), // count after latest-per-request_id dedup
        new("binary", "variants.control.scores.helpfulness.mean", 2.9767441860465116), // np.mean(values)
        new("binary", "variants.variant_a.scores.user_satisfaction.n", 192), // count after latest-per-request_id dedup
        new("binary", "variants.variant_a.scores.user_satisfaction.mean", 0.734375), // np.mean(values)
        new("binary", "variants.variant_a.scores.helpfulness.n", 123), // count after latest-per-request_id dedup
        new("binary", "variants.variant_a.scores.helpfulness.mean", 3.569105691056911), // np.mean(values)
        new("binary", "variants.variant_b.scores.user_satisfaction.n", 167), // count after latest-per-request_id dedup
        new("binary", "variants.variant_b.scores.user_satisfaction.mean", 0.6766467065868264), // np.mean(values)
        new("binary", "variants.variant_b.scores.helpfulness.n", 86), // count after latest-per-request_id dedup
        new("binary", "variants.variant_b.scores.helpfulness.mean", 3.0), // np.mean(values)
        new("binary", "variants.variant_a.vs_control.user_satisfaction.diff", 0.07910434472934469), // mean_v - mean_c
        new("binary", "variants.variant_a.vs_control.user_satisfaction.lift", 0.1207201086956521), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_a.vs_control.user_satisfaction.p_value", 0.05818260463955685), // scipy.stats.chi2_contingency([[x_v, n_v - x_v], [x_c, n_c - x_c]], correction=False)[1]
        new("binary", "variants.variant_a.vs_control.user_satisfaction.p_value_holm", 0.1163652092791137), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.user_satisfaction.p_value_clustered", 0.05545370634012889), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_a.vs_control.user_satisfaction.p_value_clustered_holm", 0.11090741268025778), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.user_satisfaction.p_value_sequential", 0.7842096039088472), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 0.02
        new("binary", "variants.variant_a.vs_control.user_satisfaction.ci95[0]", -0.0028935243965118596), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[0]
        new("binary", "variants.variant_a.vs_control.user_satisfaction.ci95[1]", 0.15601795658361506), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[1]
        new("binary", "variants.variant_b.vs_control.user_satisfaction.diff", 0.02137605131617104), // mean_v - mean_c
        new("binary", "variants.variant_b.vs_control.user_satisfaction.lift", 0.032621713095547976), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_b.vs_control.user_satisfaction.p_value", 0.6306794132919002), // scipy.stats.chi2_contingency([[x_v, n_v - x_v], [x_c, n_c - x_c]], correction=False)[1]
        new("binary", "variants.variant_b.vs_control.user_satisfaction.p_value_holm", 0.6306794132919002), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.user_satisfaction.p_value_clustered", 0.6495021349995294), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_b.vs_control.user_satisfaction.p_value_clustered_holm", 0.6495021349995294), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.user_satisfaction.p_value_sequential", 1.0), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 0.02
        new("binary", "variants.variant_b.vs_control.user_satisfaction.ci95[0]", -0.06690843651405774), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[0]
        new("binary", "variants.variant_b.vs_control.user_satisfaction.ci95[1]", 0.10510574387139276), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[1]
        new("binary", "variants.variant_a.vs_control.error_rate.diff", -0.018518518518518517), // mean_v - mean_c
        new("binary", "variants.variant_a.vs_control.error_rate.lift", -0.4), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_a.vs_control.error_rate.p_value", 0.19449348517175497), // scipy.stats.chi2_contingency([[x_v, n_v - x_v], [x_c, n_c - x_c]], correction=False)[1]
        new("binary", "variants.variant_a.vs_control.error_rate.p_value_holm", 0.19449348517175497), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.error_rate.p_value_clustered", 0.15275507239807712), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_a.vs_control.error_rate.p_value_clustered_holm", 0.15275507239807712), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.error_rate.p_value_sequential", 0.9388175475987153), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 0.005
        new("binary", "variants.variant_a.vs_control.error_rate.ci95[0]", -0.04368623531826396), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[0]
        new("binary", "variants.variant_a.vs_control.error_rate.ci95[1]", 0.011430126160997613), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[1]
        new("binary", "variants.variant_b.vs_control.error_rate.diff", 0.06439072660446707), // mean_v - mean_c
        new("binary", "variants.variant_b.vs_control.error_rate.lift", 1.3908396946564887), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_b.vs_control.error_rate.p_value", 0.0006430000445415085), // scipy.stats.chi2_contingency([[x_v, n_v - x_v], [x_c, n_c - x_c]], correction=False)[1]
        new("binary", "variants.variant_b.vs_control.error_rate.p_value_holm", 0.001286000089083017), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.error_rate.p_value_clustered", 0.006487824951869474), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_b.vs_control.error_rate.p_value_clustered_holm", 0.012975649903738949), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.error_rate.p_value_sequential", 0.8723309196498261), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 0.005
        new("binary", "variants.variant_b.vs_control.error_rate.ci95[0]", 0.02560761401302767), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[0]
        new("binary", "variants.variant_b.vs_control.error_rate.ci95[1]", 0.11056559213045986), // confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')[1]
        new("binary", "variants.variant_a.vs_control.latency_ms.diff", 133.73718446601947), // mean_v - mean_c
        new("binary", "variants.variant_a.vs_control.latency_ms.lift", 0.14388498752294082), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_a.vs_control.latency_ms.p_value", 6.2523182732129255e-12), // scipy.stats.ttest_ind(v, c, equal_var=False).pvalue
        new("binary", "variants.variant_a.vs_control.latency_ms.p_value_holm", 1.2504636546425851e-11), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.latency_ms.p_value_clustered", 1.4792422153942993e-13), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_a.vs_control.latency_ms.p_value_clustered_holm", 2.9584844307885987e-13), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.latency_ms.p_value_sequential", 1.3993079708577753e-10), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 46.47364077669903
        new("binary", "variants.variant_a.vs_control.latency_ms.ci95[0]", 96.3735356757035), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[0]
        new("binary", "variants.variant_a.vs_control.latency_ms.ci95[1]", 171.10083325633477), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[1]
        new("binary", "variants.variant_b.vs_control.latency_ms.diff", -44.7174507271136), // mean_v - mean_c
        new("binary", "variants.variant_b.vs_control.latency_ms.lift", -0.048110552540929885), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_b.vs_control.latency_ms.p_value", 0.009244521845412768), // scipy.stats.ttest_ind(v, c, equal_var=False).pvalue
        new("binary", "variants.variant_b.vs_control.latency_ms.p_value_holm", 0.009244521845412768), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.latency_ms.p_value_clustered", 0.0032888181163519908), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_b.vs_control.latency_ms.p_value_clustered_holm", 0.0032888181163519908), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.latency_ms.p_value_sequential", 0.06494536785135611), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 46.47364077669903
        new("binary", "variants.variant_b.vs_control.latency_ms.ci95[0]", -78.34293709822012), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[0]
        new("binary", "variants.variant_b.vs_control.latency_ms.ci95[1]", -11.09196435600822), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[1]
        new("binary", "variants.variant_a.vs_control.cost_usd.diff", 0.0001965216591557073), // mean_v - mean_c
        new("binary", "variants.variant_a.vs_control.cost_usd.lift", 0.020878995570988962), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_a.vs_control.cost_usd.p_value", 0.24955259605118604), // scipy.stats.ttest_ind(v, c, equal_var=False).pvalue
        new("binary", "variants.variant_a.vs_control.cost_usd.p_value_holm", 0.4991051921023721), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.cost_usd.p_value_clustered", 0.22877361277993524), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_a.vs_control.cost_usd.p_value_clustered_holm", 0.4474205972199228), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_a.vs_control.cost_usd.p_value_sequential", 1.0), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 0.00047062048192771084
        new("binary", "variants.variant_a.vs_control.cost_usd.ci95[0]", -0.0001384045410164543), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[0]
        new("binary", "variants.variant_a.vs_control.cost_usd.ci95[1]", 0.0005314478593278688), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[1]
        new("binary", "variants.variant_b.vs_control.cost_usd.diff", 0.0001953156833341945), // mean_v - mean_c
        new("binary", "variants.variant_b.vs_control.cost_usd.lift", 0.020750869419681968), // (mean_v - mean_c) / mean_c
        new("binary", "variants.variant_b.vs_control.cost_usd.p_value", 0.25606358731220547), // scipy.stats.ttest_ind(v, c, equal_var=False).pvalue
        new("binary", "variants.variant_b.vs_control.cost_usd.p_value_holm", 0.4991051921023721), // multipletests(p_values, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.cost_usd.p_value_clustered", 0.2237102986099614), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("binary", "variants.variant_b.vs_control.cost_usd.p_value_clustered_holm", 0.4474205972199228), // multipletests(p_clustered, method='holm')[1]
        new("binary", "variants.variant_b.vs_control.cost_usd.p_value_sequential", 1.0), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 0.00047062048192771084
        new("binary", "variants.variant_b.vs_control.cost_usd.ci95[0]", -0.00014221152214721923), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[0]
        new("binary", "variants.variant_b.vs_control.cost_usd.ci95[1]", 0.0005328428888156083), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[1]
        new("continuous", "srm.p_value", 5.5851019667226494e-11), // scipy.stats.chisquare(units, w / w.sum() * units.sum()).pvalue
        new("continuous", "variants.control.scores.helpfulness.n", 215), // count after latest-per-request_id dedup
        new("continuous", "variants.control.scores.helpfulness.mean", 2.9767441860465116), // np.mean(values)
        new("continuous", "variants.variant_a.scores.helpfulness.n", 123), // count after latest-per-request_id dedup
        new("continuous", "variants.variant_a.scores.helpfulness.mean", 3.569105691056911), // np.mean(values)
        new("continuous", "variants.variant_b.scores.helpfulness.n", 86), // count after latest-per-request_id dedup
        new("continuous", "variants.variant_b.scores.helpfulness.mean", 3.0), // np.mean(values)
        new("continuous", "variants.variant_a.vs_control.helpfulness.diff", 0.5923615050103992), // mean_v - mean_c
        new("continuous", "variants.variant_a.vs_control.helpfulness.lift", 0.19899644308943099), // (mean_v - mean_c) / mean_c
        new("continuous", "variants.variant_a.vs_control.helpfulness.p_value", 2.5084755462035156e-05), // scipy.stats.ttest_ind(v, c, equal_var=False).pvalue
        new("continuous", "variants.variant_a.vs_control.helpfulness.p_value_holm", 5.016951092407031e-05), // multipletests(p_values, method='holm')[1]
        new("continuous", "variants.variant_a.vs_control.helpfulness.p_value_clustered", 5.4970285356940324e-06), // 2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))
        new("continuous", "variants.variant_a.vs_control.helpfulness.p_value_clustered_holm", 5.4970285356940324e-06), // multipletests(p_clustered, method='holm')[1], over the non-null p_clustered
        new("continuous", "variants.variant_a.vs_control.helpfulness.p_value_sequential", 0.0043916311551533025), // min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = 0.14883720930232558
        new("continuous", "variants.variant_a.vs_control.helpfulness.ci95[0]", 0.31987778426828), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[0]
        new("continuous", "variants.variant_a.vs_control.helpfulness.ci95[1]", 0.8648452257525183), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[1]
        new("continuous", "variants.variant_b.vs_control.helpfulness.diff", 0.023255813953488413), // mean_v - mean_c
        new("continuous", "variants.variant_b.vs_control.helpfulness.lift", 0.007812500000000014), // (mean_v - mean_c) / mean_c
        new("continuous", "variants.variant_b.vs_control.helpfulness.p_value", 0.8994643106068865), // scipy.stats.ttest_ind(v, c, equal_var=False).pvalue
        new("continuous", "variants.variant_b.vs_control.helpfulness.p_value_holm", 0.8994643106068865), // multipletests(p_values, method='holm')[1]
        new("continuous", "variants.variant_b.vs_control.helpfulness.p_value_clustered", null), // None: 127 units in control, 48 in variant_b; fewer than MIN_UNITS = 50 in one
        new("continuous", "variants.variant_b.vs_control.helpfulness.p_value_clustered_holm", null), // None: 127 units in control, 48 in variant_b; fewer than MIN_UNITS = 50 in one
        new("continuous", "variants.variant_b.vs_control.helpfulness.p_value_sequential", null), // None: 127 units in control, 48 in variant_b; fewer than MIN_UNITS = 50 in one
        new("continuous", "variants.variant_b.vs_control.helpfulness.ci95[0]", -0.33969963819104604), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[0]
        new("continuous", "variants.variant_b.vs_control.helpfulness.ci95[1]", 0.38621126609802287), // CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')[1]
        new("no-exposures", "variants.control.units", 175), // len({e['unit'] for e in completions if e['variant'] == 'control'})
        new("no-exposures", "variants.variant_a.units", 95), // len({e['unit'] for e in completions if e['variant'] == 'variant_a'})
        new("no-exposures", "variants.variant_b.units", 80), // len({e['unit'] for e in completions if e['variant'] == 'variant_b'})
        new("no-exposures", "srm.p_value", 0.5257880244257798), // scipy.stats.chisquare(units, w / w.sum() * units.sum()).pvalue
    ];
}
