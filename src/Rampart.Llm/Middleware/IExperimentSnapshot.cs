using Rampart.Core.Rollouts;

namespace Rampart.Llm.Middleware;

/// <summary>The current state of experiments, kept in memory so that assignment needs no store round trip on the hot path.</summary>
public interface IExperimentSnapshot
{
    /// <summary>The assigner for the experiment's current state, or null when there is no such experiment.</summary>
    ValueTask<ExperimentAssigner?> GetAsync(string experimentKey, CancellationToken cancellationToken = default);
}
