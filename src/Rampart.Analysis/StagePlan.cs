namespace Rampart.Analysis;

/// <summary>One stage an experiment served, for the per-stage sample-ratio test.</summary>
/// <param name="Stage">The stage, 0-based, as events carry it.</param>
/// <param name="Weights">The weight in percent of each variant that kept one weight through the stage, in listed order.</param>
public sealed record StagePlan(int Stage, IReadOnlyDictionary<string, double> Weights);
