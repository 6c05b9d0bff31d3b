using System.Globalization;
using System.Text;
using Rampart.Testing;

namespace Rampart.Analysis.Tests.Reference;

/// <summary>
/// The reference data set: 360 units of experiment <c>ref-exp</c> split about 50/25/25 between control, variant_a and
/// variant_b, written once to <c>Reference/reference-events.jsonl</c>, which <c>reference.py</c> reads with SciPy/statsmodels.
/// It holds every case the definitions must get right: duplicate exposures (a unit counts once), a unit exposed without
/// requests, failed completions (left out of latency, still in cost and tokens), completions without a cost, repeated
/// feedback for a request (the latest timestamp wins; an older one later in the file loses; an equal one later in the file
/// wins), feedback without a request id, a second score (<c>helpfulness</c>, 1–5) beside the primary one, unknown fields,
/// escaped text, an id written escaped on one line and raw on another, and a blank line.
/// </summary>
internal static class ReferenceDataSet
{
    public const string FileName = "reference-events.jsonl";

    private static readonly string[] Variants = ["control", "variant_a", "variant_b"];
    private static readonly double[] MedianLatency = [900, 1050, 880];
    private static readonly double[] ErrorRates = [0.04, 0.03, 0.10];
    private static readonly double[] Satisfaction = [0.70, 0.80, 0.69];
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The committed file, in the repository.</summary>
    public static string Path => RepositoryPaths.File($"tests/Rampart.Analysis.Tests/Reference/{FileName}");

    public static string Generate()
    {
        var random = new Lcg(2026);
        var text = new StringBuilder();
        for (var u = 0; u < 360; u++)
        {
            var draw = random.NextDouble();
            var v = draw < 0.5 ? 0 : draw < 0.75 ? 1 : 2;
            var variant = Variants[v];
            var unit = u == 7 ? "caf\u00e9-7" : $"user-{u:D4}";
            var at = Start.AddMinutes(10 * u);
            var common = $"\"experiment\":\"ref-exp\",\"variant\":\"{variant}\",\"unit\":\"{unit}\"";
            var exposedUnit = u == 7 ? "\"unit\":\"caf\\u00e9-7\"" : $"\"unit\":\"{unit}\"";
            text.Append($"{{\"type\":\"exposure\",\"experiment\":\"ref-exp\",\"variant\":\"{variant}\",{exposedUnit},\"ts\":\"{Ts(at)}\"}}\n");
            if (random.NextDouble() < 0.1)
            {
                text.Append($"{{\"type\":\"exposure\",{common},\"ts\":\"{Ts(at.AddSeconds(1))}\",\"channel\":\"web\"}}\n");
            }

            var requests = u % 37 == 0 ? 0 : 1 + random.Next(5);
            for (var j = 0; j < requests; j++)
            {
                var request = $"r-{u:D4}-{j}";
                var done = at.AddMinutes(1 + j);
                var failed = random.NextDouble() < ErrorRates[v];
                var spread = random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5;
                var latency = Math.Round(MedianLatency[v] * Math.Exp(0.5 * spread) * 10) / 10;
                var prompt = 80 + random.Next(80);
                var output = 40 + random.Next(120);
                var cost = random.NextDouble() < 0.1 ? "null" : Number(Math.Round(((prompt * 0.03) + (output * 0.06)) / 1000, 6));
                var error = failed ? "\"upstream timeout\"" : "null";
                var content = j == 1 ? ",\"input\":\"Where is \\\"my\\\" order?\",\"output\":\"On its way.\\nThanks!\"" : "";
                text.Append($"{{\"type\":\"completion\",{common},\"request_id\":\"{request}\",\"ts\":\"{Ts(done)}\",\"latency_ms\":{Number(latency)}," +
                    $"\"prompt_tokens\":{prompt},\"completion_tokens\":{output},\"cost_usd\":{cost},\"error\":{error},\"model\":\"gpt-4\"{content}}}\n");
                if (random.NextDouble() < 0.65)
                {
                    var value = random.NextDouble() < Satisfaction[v] ? 1 : 0;
                    text.Append(Feedback(common, request, done.AddSeconds(5), "user_satisfaction", value));
                    var again = random.NextDouble();
                    if (again < 0.05)
                    {
                        text.Append(Feedback(common, request, done.AddSeconds(60), "user_satisfaction", 1 - value)); // later: wins
                    }
                    else if (again < 0.10)
                    {
                        text.Append(Feedback(common, request, done.AddSeconds(-30), "user_satisfaction", 1 - value)); // older, later in file: loses
                    }
                    else if (again < 0.13)
                    {
                        text.Append(Feedback(common, request, done.AddSeconds(5), "user_satisfaction", 1 - value)); // same time, later in file: wins
                    }
                }

                if (random.NextDouble() < 0.4)
                {
                    text.Append(Feedback(common, request, done.AddSeconds(20), "helpfulness", v == 1 ? 2 + random.Next(4) : 1 + random.Next(5)));
                }
            }

            if (random.NextDouble() < 0.05)
            {
                text.Append(Feedback(common, null, at.AddMinutes(9), "user_satisfaction", random.NextDouble() < Satisfaction[v] ? 1 : 0));
            }

            if (u == 100)
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Feedback(string common, string? request, DateTimeOffset at, string score, int value) =>
        $"{{\"type\":\"feedback\",{common},{(request is null ? "" : $"\"request_id\":\"{request}\",")}\"ts\":\"{Ts(at)}\",\"score\":\"{score}\",\"value\":{value}}}\n";

    private static string Ts(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
