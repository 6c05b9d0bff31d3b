using System.Collections.Immutable;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Llm.Recording;

/// <summary>One experiment call as <see cref="ExperimentCallRecorder.Begin"/> started it: who was assigned what, its request id, and when it began.</summary>
/// <param name="Experiment">The experiment's key.</param>
/// <param name="Assignment">The unit's assignment.</param>
/// <param name="Unit">The unit, or null when the call named none.</param>
/// <param name="RequestId">The call's request id (what feedback refers to).</param>
/// <param name="Ts">When the call began (the exposure's time).</param>
/// <param name="StartTimestamp">The recorder's clock timestamp at the start, for the latency.</param>
/// <param name="LogsContent">Whether the experiment's <c>logging.content</c> is <c>full</c>.</param>
/// <param name="Judges">The experiment's judges (docs/judges.md), each sampling the call once it has succeeded.</param>
public readonly record struct RecordedCall(
    string Experiment,
    Assignment Assignment,
    string? Unit,
    string RequestId,
    DateTimeOffset Ts,
    long StartTimestamp,
    bool LogsContent,
    ImmutableArray<JudgeDefinition> Judges = default)
{
    /// <summary>
    /// True when the call is the experiment's traffic and writes events: a unit was named and hashed into the experiment
    /// (not a draft or paused experiment's call, which is answered with the control and records nothing).
    /// </summary>
    public bool Records => !string.IsNullOrEmpty(Unit) && Assignment.Bucket >= 0;

    /// <summary>
    /// The shadow variants (docs/shadow.md) that sampled this served call, one bit each by their position in the shadow
    /// stage, decided once when the call began; 0 when none did (or the stage is not a shadow stage).
    /// </summary>
    public uint Shadows { get; init; }

    /// <summary>For a shadow call, the request id of the served call it shadows (its completion's <c>pair_id</c>); null for a served call.</summary>
    public string? ShadowOf { get; init; }

    /// <summary>The completion's <c>pair_id</c>: the served call's request id on a shadow call, and on a served call that a shadow variant sampled.</summary>
    public string? PairId => ShadowOf ?? (Shadows != 0 ? RequestId : null);

    /// <summary>The name of the variant that serves the call.</summary>
    public string Variant => Assignment.Variant.Name;
}
