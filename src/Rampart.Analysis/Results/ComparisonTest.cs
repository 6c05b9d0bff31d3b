using System.Text.Json.Serialization;

namespace Rampart.Analysis.Results;

/// <summary>
/// The request-level test behind a comparison's <c>p_value</c> and <c>ci95</c>, written as <c>test</c>, so a score whose values
/// happen to be all 0 or 1 (proportions) or include a 0.5 (means) never changes test without saying so.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparisonTest>))]
public enum ComparisonTest
{
    /// <summary>A binary metric (error rate, a score whose every value is 0 or 1): the pooled two-proportion z-test.</summary>
    [JsonStringEnumMemberName("z")]
    TwoProportionZ,

    /// <summary>Any other metric: Welch's t-test on the means.</summary>
    [JsonStringEnumMemberName("welch")]
    Welch,
}
