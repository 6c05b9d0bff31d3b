namespace Rampart.Core.Rollouts;

/// <summary>
/// A stored experiment that cannot be read: its row was damaged or edited by hand, or holds a value this version refuses.
/// </summary>
/// <param name="Key">The experiment's key, as stored.</param>
/// <param name="Reason">Why it cannot be read, in a sentence.</param>
public sealed record UnreadableExperiment(string Key, string Reason);
