using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;
using Rampart.Llm.Recording;

namespace Rampart.Llm.Shadowing;

/// <summary>One served request a shadow variant sampled, waiting to be called off the request path (docs/shadow.md).</summary>
/// <param name="Experiment">The experiment as it was when the request was served.</param>
/// <param name="Shadow">The shadow stage that sampled it.</param>
/// <param name="Served">The served call (its request id is the shadow completion's <c>pair_id</c>; its unit and stage are the shadow's).</param>
/// <param name="Variant">The shadow variant to call.</param>
/// <param name="Body">The caller's request body as it came (UTF-8 JSON), applied to <paramref name="Variant"/> when called.</param>
public sealed record ShadowWork(Experiment Experiment, ShadowStage Shadow, RecordedCall Served, Variant Variant, ReadOnlyMemory<byte> Body)
{
    /// <summary>The served answer's text when it succeeded, for the judges' pairwise preference; else null.</summary>
    public string? ServedOutput { get; init; }

    /// <summary>The served answer's simulated quality (the <c>sim</c> provider), else null.</summary>
    public double? ServedQuality { get; init; }
}
