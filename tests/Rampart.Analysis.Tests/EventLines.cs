using System.Globalization;
using System.Text;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Reading;

namespace Rampart.Analysis.Tests;

/// <summary>Builds a JSON Lines file of events for tests, one call per line.</summary>
internal sealed class EventLines
{
    private readonly StringBuilder text = new();
    private int second;

    public string Experiment { get; init; } = "prompt-opt-v2";

    public int Count { get; private set; }

    public EventLines Exposure(string variant, string unit) =>
        Line($"\"type\":\"exposure\",\"experiment\":\"{Experiment}\",\"variant\":\"{variant}\",\"unit\":\"{unit}\",\"ts\":\"{Ts()}\"");

    public EventLines Completion(string variant, string unit, double latencyMs, string? request = null, double? cost = 0.01, string? error = null, long? promptTokens = 100, long? completionTokens = 50) =>
        Line($"\"type\":\"completion\",\"experiment\":\"{Experiment}\",\"variant\":\"{variant}\",\"unit\":\"{unit}\",\"ts\":\"{Ts()}\"" +
             (request is null ? "" : $",\"request_id\":\"{request}\"") +
             $",\"latency_ms\":{Number(latencyMs)},\"prompt_tokens\":{Number(promptTokens)},\"completion_tokens\":{Number(completionTokens)}" +
             $",\"cost_usd\":{Number(cost)},\"error\":{(error is null ? "null" : $"\"{error}\"")}");

    public EventLines Feedback(string variant, string unit, double value, string? request = null, string score = "user_satisfaction", string? ts = null) =>
        Line($"\"type\":\"feedback\",\"experiment\":\"{Experiment}\",\"variant\":\"{variant}\",\"unit\":\"{unit}\",\"ts\":\"{ts ?? Ts()}\"" +
             (request is null ? "" : $",\"request_id\":\"{request}\"") + $",\"score\":\"{score}\",\"value\":{Number(value)}");

    public EventLines JudgeFeedback(string variant, string unit, double value, string request, string score = "judge_helpfulness", string? model = "judge-m", double? cost = 0.002) =>
        Line($"\"type\":\"feedback\",\"experiment\":\"{Experiment}\",\"variant\":\"{variant}\",\"unit\":\"{unit}\",\"ts\":\"{Ts()}\"" +
             $",\"request_id\":\"{request}\",\"score\":\"{score}\",\"value\":{Number(value)},\"source\":\"judge\"" +
             (model is null ? "" : $",\"model\":\"{model}\"") + (cost is null ? "" : $",\"cost_usd\":{Number(cost)}"));

    public EventLines Raw(string line)
    {
        text.Append(line).Append('\n');
        Count++;
        return this;
    }

    public override string ToString() => text.ToString();

    public EventFileResult Read(EventFileOptions? options = null) =>
        EventFileReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), options);

    public ExperimentAggregate Aggregate(QuantileMode mode = QuantileMode.Exact) =>
        Read(new EventFileOptions(mode)).Experiments.SingleOrDefault() ?? new ExperimentAggregate(Experiment, mode);

    private EventLines Line(string body) => Raw("{" + body + "}");

    private string Ts() => new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero).AddSeconds(second++).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "null";

    private static string Number(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null";
}
