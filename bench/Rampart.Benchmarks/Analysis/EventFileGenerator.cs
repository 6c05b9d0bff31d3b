using System.Globalization;
using System.Text;

namespace Rampart.Benchmarks.Analysis;

/// <summary>
/// Writes seed-like events for the analysis benchmarks, the C# twin of <c>generate-events.py</c>: per unit one exposure,
/// 1–3 completions (2% failed, lognormal latency, cost, tokens, short input/output) and satisfaction feedback for 70% of the
/// successful ones; variants split 80/10/10. Seeded, so every run writes the same file.
/// </summary>
public static class EventFileGenerator
{
    /// <summary>The file of <paramref name="lines"/> lines under the temp folder, written once and reused.</summary>
    public static string Ensure(int lines)
    {
        var path = Path.Combine(Path.GetTempPath(), "rampart-bench", $"events-{lines}.jsonl");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var partial = path + ".partial";
            File.WriteAllText(partial, Generate(lines));
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }

    /// <summary>Exactly <paramref name="lines"/> lines of events.</summary>
    public static string Generate(int lines)
    {
        var random = new Random(42);
        var text = new StringBuilder(lines * 240);
        var written = 0;
        var pending = new List<string>();
        for (var unit = 0; written < lines; unit++)
        {
            var r = random.NextDouble();
            var (name, median, satisfaction) = r < 0.8 ? ("control", 900.0, 0.75) : r < 0.9 ? ("variant_a", 1000.0, 0.80) : ("variant_b", 1100.0, 0.74);
            var ts = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(unit).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var common = $"\"experiment\":\"prompt-opt-v2\",\"variant\":\"{name}\",\"unit\":\"user-{unit}\",\"ts\":\"{ts}\"";
            pending.Clear();
            pending.Add($"{{\"type\":\"exposure\",{common}}}");
            for (var j = 0; j < 1 + random.Next(3); j++)
            {
                var failed = random.NextDouble() < 0.02;
                var latency = Math.Round(median * Math.Exp(0.4 * Normal(random)), 1);
                var prompt = 80 + random.Next(81);
                var completion = 40 + random.Next(121);
                var cost = Math.Round(((prompt * 0.03) + (completion * 0.06)) / 1000, 6);
                var error = failed ? "\"upstream timeout\"" : "null";
                pending.Add(string.Create(CultureInfo.InvariantCulture, $$"""{"type":"completion",{{common}},"request_id":"r-{{unit}}-{{j}}","latency_ms":{{latency}},"ttft_ms":{{Math.Round(latency * 0.3, 1)}},"prompt_tokens":{{prompt}},"completion_tokens":{{completion}},"cost_usd":{{cost}},"error":{{error}},"model":"gpt-4","input":"Where is my order?","output":"It ships today."}"""));
                if (!failed && random.NextDouble() < 0.7)
                {
                    var value = random.NextDouble() < satisfaction ? 1 : 0;
                    pending.Add($"{{\"type\":\"feedback\",{common},\"request_id\":\"r-{unit}-{j}\",\"score\":\"user_satisfaction\",\"value\":{value}}}");
                }
            }

            foreach (var line in pending.Take(lines - written))
            {
                text.Append(line).Append('\n');
                written++;
            }
        }

        return text.ToString();
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
