using Rampart.Analysis.Monitoring;

namespace Rampart.Simulation;

/// <summary>An action the monitor took during a simulation, and where the run stood.</summary>
/// <param name="At">Simulated time.</param>
/// <param name="Action">What the monitor did, why, with its metrics.</param>
/// <param name="VariantRequests">Requests the acted-on variant had served by then (0 for stage-wide actions).</param>
/// <param name="RequestsSinceFault">Requests it served since a fault of it began, or null without one.</param>
public sealed record SimulatedAction(DateTimeOffset At, MonitorAction Action, long VariantRequests, long? RequestsSinceFault);
