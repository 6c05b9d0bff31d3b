using System.Text.Json.Serialization;

namespace Rampart.Analysis.Results;

/// <summary>The actions a results document can recommend, most urgent first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecommendedAction>))]
public enum RecommendedAction
{
    /// <summary>A guardrail is breached: give the variant's traffic to the control.</summary>
    [JsonStringEnumMemberName("rollback")]
    Rollback,

    /// <summary>A variant beats the control on every promotion criterion.</summary>
    [JsonStringEnumMemberName("promote")]
    Promote,

    /// <summary>Keep collecting data.</summary>
    [JsonStringEnumMemberName("continue")]
    Continue,
}
