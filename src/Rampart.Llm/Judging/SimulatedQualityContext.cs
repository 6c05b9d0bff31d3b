using System.Globalization;
using Microsoft.Extensions.AI.Evaluation;

namespace Rampart.Llm.Judging;

/// <summary>What <see cref="SimulatedJudge"/> needs of the judged call: its simulated quality (null for a real provider's answer) and its request id (which seeds the noise).</summary>
public sealed class SimulatedQualityContext : EvaluationContext
{
    /// <summary>The context's name.</summary>
    public const string ContextName = "Simulated quality";

    /// <summary>A context for a call of <paramref name="quality"/> with <paramref name="requestId"/>.</summary>
    public SimulatedQualityContext(double? quality, string requestId)
        : base(ContextName, $"quality {quality?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} of request {requestId}")
    {
        Quality = quality;
        RequestId = requestId;
    }

    /// <summary>The answer's simulated quality in [0, 1], or null when a real provider answered.</summary>
    public double? Quality { get; }

    /// <summary>The judged call's request id.</summary>
    public string RequestId { get; }
}
