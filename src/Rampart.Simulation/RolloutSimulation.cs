using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Rampart.Analysis.Monitoring;
using Rampart.Core.Alerts;
using Rampart.Core.Audit;
using Rampart.Core.Events;
using Rampart.Core.Rollouts;
using Rampart.Llm.Judging;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;
using Rampart.Llm.Recording;
using Rampart.Llm.Shadowing;
using MathNet.Numerics.Distributions;

namespace Rampart.Simulation;

/// <summary>
/// A seeded rollout in compressed time, in process: every step, new simulated users arrive and send requests; each request
/// is assigned by the real <see cref="ExperimentAssigner"/> and answered as the real <see cref="SimulatedProvider"/> answers (its <see cref="SimulatedDraw"/> of the
/// variant's <c>params.sim</c>, with any <see cref="SimulatedFault"/> applied); its completion and feedback events go into the
/// monitor's <see cref="RolloutSignals"/>, and after each step <see cref="MonitorEngine"/> decides as the server's monitor
/// would. The experiment's judges judge as the server's do (the same sampling, budget and verdict events, docs/judges.md),
/// each through a <see cref="SimulatedJudge"/> whatever its provider, synchronously, so a run needs no network. At a shadow
/// stage (docs/shadow.md) the sampled requests are also answered by each shadow variant, as the gateway's shadow calls
/// are, and both answers of a pair judged. <see cref="Run"/> does it all in memory; a host that keeps its own store (the demo) drives <see cref="Step"/>,
/// <see cref="Decide"/> and <see cref="ApplyAsync"/> (acting through the same <see cref="RolloutActuator"/> as the server's
/// monitor) itself. Not thread-safe; run one per thread.
/// </summary>
public sealed class RolloutSimulation
{
    private readonly SimulationScenario scenario;
    private readonly Random random;
    private readonly Dictionary<string, SimulationOptions> behaviour = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> faultStarts = new(StringComparer.Ordinal);
    private readonly List<SimulatedAction> actions = [];
    private readonly List<AuditEntry> audit = [];
    private readonly CallClock callClock = new();
    private readonly ExperimentCallRecorder recorder;
    private readonly SampledCalls sampled = new();
    private readonly JudgeRunner judges;
    private readonly Dictionary<string, SimulatedJudge> simulatedJudges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> shadowCalls = new(StringComparer.Ordinal);
    private readonly ShadowBudget shadowBudget;
    private readonly CostEstimator costs = new(PriceTable.BuiltIn);
    private ExperimentAssigner assigner;
    private long users;
    private long requestCount;
    private bool stopped;
    private SimulatedClock? clock;

    /// <summary>Sets up a run; the experiment starts at <see cref="SimulationScenario.Start"/> unless a started one is given.</summary>
    /// <param name="scenario">What to simulate.</param>
    /// <param name="experiment">The experiment as stored (running), or null to create and start one in memory.</param>
    public RolloutSimulation(SimulationScenario scenario, Experiment? experiment = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        this.scenario = scenario;
        Now = scenario.Start;
        if (experiment is null)
        {
            var draft = Experiment.CreateDraft(scenario.Definition, Now);
            audit.Add(Rollout.Created(draft, "simulation"));
            var started = Rollout.Start(draft, Now, "simulation");
            audit.Add(started.Audit);
            experiment = started.Experiment;
        }

        Experiment = experiment;
        assigner = new ExperimentAssigner(experiment);
        Signals = new RolloutSignals(experiment.Key, scenario.Tuning);
        random = new Random(unchecked((int)(scenario.Seed ^ (scenario.Seed >> 32))));
        // Recorded as the gateway records a call (ids seeded, so a run replays exactly), priced by the built-in table.
        recorder = new ExperimentCallRecorder(costs, callClock, seed: scenario.Seed, judges: sampled);
        shadowBudget = new ShadowBudget(callClock);
        foreach (var judge in scenario.Definition.Judges)
        {
            simulatedJudges[judge.Name] = new SimulatedJudge(judge);
        }

        var evaluators = new JudgeEvaluators(new ProviderRegistry([], _ => throw new InvalidOperationException("A simulation calls no provider.")), judge => simulatedJudges[judge.Name]);
        judges = new JudgeRunner(evaluators, costs, new JudgeBudget(callClock), callClock, Timeout.InfiniteTimeSpan);
        foreach (var variant in scenario.Definition.Variants)
        {
            behaviour[variant.Name] = SimulationOptions.FromParams(variant.Config.Params);
            requests[variant.Name] = 0;
        }
    }

    /// <summary>Simulated time now.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The experiment as it stands.</summary>
    public Experiment Experiment { get; private set; }

    /// <summary>The monitor's signals from every event so far.</summary>
    public RolloutSignals Signals { get; }

    /// <summary>Simulated time since the start.</summary>
    public TimeSpan Elapsed => Now - scenario.Start;

    /// <summary>True when the run is over: its duration is up, the experiment is completed, or it stopped at a rollback.</summary>
    public bool Finished => stopped || Elapsed >= scenario.Duration || Experiment.State == ExperimentState.Completed;

    /// <summary>Judgements skipped because the judge had spent its <c>max_cost_usd_per_day</c>.</summary>
    public long JudgementsOverBudget { get; private set; }

    /// <summary>Shadow calls skipped because the shadow variant had spent the stage's <c>max_cost_usd_per_day</c>.</summary>
    public long ShadowCallsOverBudget { get; private set; }

    /// <summary>Shadow calls <paramref name="variant"/> has answered (nobody saw them).</summary>
    public long ShadowCallsOf(string variant) => shadowCalls.GetValueOrDefault(variant);

    /// <summary>Requests <paramref name="variant"/> has served.</summary>
    public long RequestsOf(string variant) => requests.GetValueOrDefault(variant);

    /// <summary>Runs every step, deciding and acting after each, until <see cref="Finished"/>.</summary>
    public SimulationResult Run()
    {
        while (!Finished)
        {
            Step();
            Apply(Decide(explain: false));
        }

        return Result();
    }

    /// <summary>Advances simulated time by one step and simulates its traffic; returns the step's events (also added to <see cref="Signals"/>).</summary>
    public IReadOnlyList<ExperimentEvent> Step()
    {
        var events = new List<ExperimentEvent>();
        var arrivals = Poisson(scenario.UsersPerStep);
        var step = scenario.StepLength;
        for (var u = 0; u < arrivals; u++)
        {
            var unit = $"user-{scenario.Seed}-{users++}";
            var count = 1 + Geometric(scenario.RequestsPerUser - 1);
            var at = Now + (step * random.NextDouble());
            for (var r = 0; r < count; r++)
            {
                Request(unit, r == 0, at, events);
            }
        }

        Now += step;
        return events;
    }

    /// <summary>What the monitor would do now.</summary>
    public MonitorDecision Decide(bool explain = true) => MonitorEngine.Evaluate(Experiment, Signals, Now, explain);

    /// <summary>Carries out <paramref name="decision"/> in memory as the monitor would; returns the state changes made.</summary>
    public IReadOnlyList<RolloutChange> Apply(MonitorDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var changes = new List<RolloutChange>();
        foreach (var action in decision.Actions)
        {
            Record(action);
            if (MonitorChanges.Apply(Experiment, action, Now) is { } change)
            {
                changes.Add(change);
                audit.Add(change.Audit);
                Serve(change.Experiment);
            }
        }

        return changes;
    }

    /// <summary>
    /// Carries out <paramref name="decision"/> through a store, as the server's monitor does: each action goes through
    /// <paramref name="actuator"/> (build it with <see cref="Actuator"/>, so audit times, stage starts and alerts are simulated
    /// time), which decides it again on the stored experiment and drops it when no longer due; each action carried out is
    /// recorded and its new state served here. Returns the actions carried out (a sample-ratio hold alerts once per stage).
    /// </summary>
    public async Task<IReadOnlyList<ActuationResult>> ApplyAsync(MonitorDecision decision, RolloutActuator actuator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(actuator);
        var applied = new List<ActuationResult>();
        foreach (var action in decision.Actions)
        {
            var result = await actuator.ActAsync(Experiment, action, cancellationToken).ConfigureAwait(false);
            if (action.Kind == MonitorActionKind.SrmHold || result.Applied)
            {
                // The monitor holds at every check, though it alerts once per stage.
                Record(action);
            }

            if (result.Change is { } change)
            {
                audit.Add(change.Audit);
                Serve(change.Experiment);
            }

            if (result.Applied)
            {
                applied.Add(result);
            }
        }

        return applied;
    }

    /// <summary>
    /// An actuator over <paramref name="store"/> that decides again from this run's <see cref="Signals"/> and stamps audit
    /// entries, stage starts and alerts with simulated time, for <see cref="ApplyAsync"/>.
    /// </summary>
    public RolloutActuator Actuator(IExperimentStore store, IAlertSink alerts) =>
        new(store, (experiment, now) => MonitorEngine.Evaluate(experiment, Signals, now, explain: false), alerts, Clock);

    /// <summary>A clock that reads simulated time (<see cref="Now"/>), for the <see cref="RolloutCommands"/> a host applies its own changes with.</summary>
    public TimeProvider Clock => clock ??= new SimulatedClock(this);

    /// <summary>Records that <paramref name="action"/> was taken (by a host applying it itself) without changing state here.</summary>
    public void Record(MonitorAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var variant = action.Variant;
        long? sinceFault = variant is not null && faultStarts.TryGetValue(variant, out var start) ? RequestsOf(variant) - start : null;
        actions.Add(new SimulatedAction(Now, action, variant is null ? 0 : RequestsOf(variant), sinceFault));
        stopped |= scenario.StopAtRollback && action.Kind == MonitorActionKind.Rollback;
    }

    /// <summary>Serves <paramref name="experiment"/> from now on (a state changed elsewhere, e.g. through a store).</summary>
    public void Serve(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        Experiment = experiment;
        assigner = new ExperimentAssigner(experiment);
    }

    /// <summary>The run so far.</summary>
    public SimulationResult Result() => new(Experiment, [.. actions], [.. audit], requests.ToImmutableDictionary(StringComparer.Ordinal), Elapsed);

    private void Request(string unit, bool first, DateTimeOffset at, List<ExperimentEvent> events)
    {
        callClock.Now = at;
        var assignment = assigner.Assign(unit);
        var variant = assignment.Variant.Name;
        var call = recorder.Begin(Experiment, assignment, unit);
        if (first)
        {
            Add(events, recorder.Exposure(call));
        }

        var served = requests[variant];
        var sim = Behaviour(variant, served);
        var seed = Mix(scenario.Seed, (ulong)requestCount++);

        // The simulated provider's own outcome for this seed (what SendAsync would answer), without writing response bytes.
        var draw = SimulatedDraw.Make(seed, sim, call.RequestId);
        requests[variant] = served + 1;
        var result = draw.Failed
            ? new ChatCallResult(500, SimulatedProvider.FailureMessage, TtftMs: draw.TtftMs, SimulatedLatencyMs: draw.LatencyMs)
            : new ChatCallResult(200, null, sim.PromptTokens, sim.CompletionTokens, draw.TtftMs, Output: SimulatedProvider.AnswerText(assignment.Variant.Config.Model), SimulatedLatencyMs: draw.LatencyMs, SimulatedQuality: sim.Quality);
        var completion = recorder.Completion(call, result, assignment.Variant.Config.Model, (JsonNode?)null);
        var shadows = ShadowsOf(call.RequestId);
        Add(events, shadows.Count > 0 ? completion with { PairId = call.RequestId } : completion);
        var judged = Judge(events);
        if (shadows.Count > 0)
        {
            Shadow(shadows, call, unit, at, result, judged, events);
        }

        if (!draw.Failed && random.NextDouble() < scenario.FeedbackRate)
        {
            Add(events, new ExperimentEvent
            {
                Type = EventType.Feedback, Experiment = Experiment.Key, Variant = variant, Unit = unit, Ts = at, Stage = assignment.Stage,
                RequestId = call.RequestId, Score = Experiment.Definition.PrimaryScore, Value = Satisfied(draw, sim, call.RequestId) ? 1 : 0,
            });
        }
    }

    // The judges run at once, in simulated time: the server runs them off the request path, a moment later. Returns the
    // judges that judged.
    private HashSet<string> Judge(List<ExperimentEvent> events)
    {
        var judged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in sampled.Take())
        {
            judged.Add(work.Judge.Name);
            var outcome = judges.RunAsync(work, CancellationToken.None).GetAwaiter().GetResult();
            JudgementsOverBudget += outcome.Kind == JudgeOutcomeKind.BudgetSpent ? 1 : 0;
            if (outcome.Feedback is { } verdict)
            {
                Add(events, verdict);
            }
        }

        return judged;
    }

    // The shadow variants (not rolled back, within today's budget) the current shadow stage calls on this request.
    private List<string> ShadowsOf(string requestId)
    {
        var shadows = new List<string>();
        if (Experiment.State == ExperimentState.Running && Experiment.Stage < Experiment.Definition.Stages.Length
            && Experiment.Definition.Stages[Experiment.Stage].Shadow is { } shadow)
        {
            foreach (var variant in shadow.Variants)
            {
                if (Experiment.IsRolledBack(variant) || !ShadowSampler.Sampled(requestId, variant, shadow))
                {
                    continue;
                }

                if (!shadowBudget.TryStart(Experiment.Key, variant, shadow.MaxCostUsdPerDay, out _))
                {
                    ShadowCallsOverBudget++;
                    continue;
                }

                shadows.Add(variant);
            }
        }

        return shadows;
    }

    // Each shadow variant answers the served request (its own draw, priced, its budget counted per simulated UTC day), as
    // the gateway's shadow calls do; a served answer a judge did not sample is judged too, so every pair has both verdicts.
    private void Shadow(List<string> shadows, in RecordedCall served, string unit, DateTimeOffset at, ChatCallResult servedResult, HashSet<string> judged, List<ExperimentEvent> events)
    {
        if (servedResult.Error is null)
        {
            foreach (var judge in Experiment.Definition.Judges)
            {
                if (!judged.Contains(judge.Name))
                {
                    JudgeOne(new JudgeWork(Experiment.Key, served.Variant, unit, served.RequestId, served.Assignment.Stage, null,
                        servedResult.Output!, servedResult.SimulatedQuality, judge, at), null, events);
                }
            }
        }

        foreach (var variant in shadows)
        {
            var config = Experiment.Definition.Variants[Experiment.Definition.IndexOf(variant)].Config;
            var count = shadowCalls.GetValueOrDefault(variant);
            var sim = Behaviour(variant, count);
            shadowCalls[variant] = count + 1;
            // The served request id as the request key: the per-request part of the latency is the served answer's.
            var draw = SimulatedDraw.Make(Mix(scenario.Seed ^ 0x5EEDUL, (ulong)requestCount++), sim, served.RequestId);
            var requestId = $"{served.RequestId}~shadow~{variant}";
            var cost = draw.Failed ? null : costs.CostUsd(config.Model, sim.PromptTokens, sim.CompletionTokens);
            shadowBudget.Add(Experiment.Key, variant, cost ?? 0);
            Add(events, new ExperimentEvent
            {
                Type = EventType.Completion, Experiment = Experiment.Key, Variant = variant, Unit = unit, Ts = at, Stage = served.Assignment.Stage,
                Id = requestId, RequestId = requestId, Shadow = true, PairId = served.RequestId, Model = config.Model,
                LatencyMs = draw.LatencyMs, TtftMs = draw.TtftMs, PromptTokens = draw.Failed ? null : sim.PromptTokens,
                CompletionTokens = draw.Failed ? null : sim.CompletionTokens, CostUsd = cost, Error = draw.Failed ? SimulatedProvider.FailureMessage : null,
            });
            if (!draw.Failed)
            {
                foreach (var judge in Experiment.Definition.Judges)
                {
                    var answer = SimulatedProvider.AnswerText(config.Model);
                    JudgeOne(new JudgeWork(Experiment.Key, variant, unit, requestId, served.Assignment.Stage, null, answer, sim.Quality, judge, at), served.RequestId, events);
                    if (servedResult.Error is null)
                    {
                        // And which of the two answers is better (docs/shadow.md), shown in the pair's own order.
                        JudgeOne(new JudgeWork(Experiment.Key, variant, unit, requestId, served.Assignment.Stage, null, answer, sim.Quality, judge, at)
                        {
                            PairId = served.RequestId, Against = servedResult.Output, AgainstQuality = servedResult.SimulatedQuality,
                        }, served.RequestId, events);
                    }
                }
            }
        }
    }

    // One judgement outside the recorder's sampling: a shadow answer (pairId set: the verdict is a shadow event) or a served
    // answer whose shadow pair needs its verdict.
    private void JudgeOne(JudgeWork work, string? pairId, List<ExperimentEvent> events)
    {
        var outcome = judges.RunAsync(work, CancellationToken.None).GetAwaiter().GetResult();
        JudgementsOverBudget += outcome.Kind == JudgeOutcomeKind.BudgetSpent ? 1 : 0;
        if (outcome.Feedback is { } verdict)
        {
            Add(events, pairId is null ? verdict : verdict with { Shadow = true, PairId = pairId });
        }
    }

    // The user's thumbs-up: the simulated provider's draw, or, when the scenario has a judge agreement ρ, a draw with the
    // same rate whose latent normal is correlated by ρ with the deviation of the answer's quality the first judge sees
    // (a Gaussian copula), so people and the judge agree about which answers were good.
    private bool Satisfied(SimulatedDraw draw, SimulationOptions sim, string requestId)
    {
        if (scenario.JudgeAgreement == 0 || simulatedJudges.Count == 0)
        {
            return draw.Satisfied;
        }

        var deviation = simulatedJudges[Experiment.Definition.Judges[0].Name].Deviation(requestId);
        var rho = scenario.JudgeAgreement;
        var latent = (rho * deviation) + (Math.Sqrt(1 - (rho * rho)) * Normal.InvCDF(0, 1, Math.Clamp(random.NextDouble(), 1e-12, 1 - 1e-12)));
        return latent > Normal.InvCDF(0, 1, 1 - sim.Satisfaction);
    }

    private void Add(List<ExperimentEvent> events, ExperimentEvent e)
    {
        events.Add(e);
        Signals.Add(e);
    }

    private SimulationOptions Behaviour(string variant, long served)
    {
        var sim = behaviour[variant];
        foreach (var fault in scenario.Faults)
        {
            if (fault.Variant != variant || !fault.AppliesAt(Elapsed, served))
            {
                continue;
            }

            faultStarts.TryAdd(variant, served);
            sim = sim with
            {
                ErrorRate = fault.ErrorRate ?? sim.ErrorRate,
                LatencyMsMedian = sim.LatencyMsMedian * (fault.LatencyFactor ?? 1),
            };
        }

        return sim;
    }

    private int Poisson(double mean)
    {
        // Knuth's method: fine for the small means of a step.
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    private int Geometric(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var p = 1 / (1 + mean);
        return (int)Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(1 - p));
    }

    private static ulong Mix(ulong seed, ulong counter)
    {
        var z = seed + ((counter + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The calls the recorder sampled for judging in the request being simulated, judged at once by <see cref="Judge"/>.</summary>
    private sealed class SampledCalls : IJudgeBacklog
    {
        private readonly List<JudgeWork> work = [];

        public bool TryEnqueue(JudgeWork judgeWork)
        {
            work.Add(judgeWork);
            return true;
        }

        public JudgeWork[] Take()
        {
            if (work.Count == 0)
            {
                return [];
            }

            var taken = work.ToArray();
            work.Clear();
            return taken;
        }
    }

    private sealed class SimulatedClock(RolloutSimulation simulation) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => simulation.Now;
    }

    /// <summary>The simulated time of the request being recorded (a step's requests arrive at their own instants within it).</summary>
    private sealed class CallClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
