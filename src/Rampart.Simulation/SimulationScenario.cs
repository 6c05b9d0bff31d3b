using System.Collections.Immutable;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Experiments;

namespace Rampart.Simulation;

/// <summary>
/// One simulated rollout: the experiment (its variants' behaviour in <c>params.sim</c>), the traffic, the faults, the seed.
/// Every step of simulated time new users arrive; each sends several requests and, for each answer, feedback.
/// </summary>
public sealed record SimulationScenario
{
    /// <summary>The experiment; its variants should be served by the simulated provider (their <c>params.sim</c> is read).</summary>
    public required ExperimentDefinition Definition { get; init; }

    /// <summary>The seed: the same scenario and seed give the same run, event for event.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Simulated time at the start.</summary>
    /// <value>Default: 2026-11-01T00:00:00Z.</value>
    public DateTimeOffset Start { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How long the run lasts at most.</summary>
    /// <value>Default: 7 days.</value>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(7);

    /// <summary>One step of simulated time; the monitor checks after each.</summary>
    /// <value>Default: the experiment's check_interval.</value>
    public TimeSpan? Step { get; init; }

    /// <summary>New users per step, on average (Poisson).</summary>
    /// <value>Default: 2.</value>
    public double UsersPerStep { get; init; } = 2;

    /// <summary>Requests per user, on average (1 + geometric).</summary>
    /// <value>Default: 3.</value>
    public double RequestsPerUser { get; init; } = 3;

    /// <summary>The share of answered requests whose user sends feedback on the primary score.</summary>
    /// <value>Default: 1.</value>
    public double FeedbackRate { get; init; } = 1;

    /// <summary>
    /// How far people's thumbs agree with the experiment's first judge: the correlation ρ in [0, 1) between the latent
    /// normal behind a user's thumbs-up and the deviation of the answer's quality the judge sees. 0 draws them independently.
    /// </summary>
    /// <value>Default: 0.</value>
    public double JudgeAgreement { get; init; }

    /// <summary>Faults injected during the run.</summary>
    public ImmutableArray<SimulatedFault> Faults { get; init; } = [];

    /// <summary>Whether the run ends at the first rollback (statistical runs that only measure detection).</summary>
    /// <value>Default: false.</value>
    public bool StopAtRollback { get; init; }

    /// <summary>How the guardrail tests spend α.</summary>
    /// <value>Default: <see cref="GuardrailTuning.Default"/>.</value>
    public GuardrailTuning Tuning { get; init; } = GuardrailTuning.Default;

    /// <summary>The step length in use.</summary>
    public TimeSpan StepLength => Step ?? Definition.Guardrails.CheckInterval;
}
