using Rampart.Core.Rollouts;
using Rampart.Llm.Middleware;

namespace Rampart.Server.Tests.Recording;

/// <summary>A snapshot that always serves one experiment as it was when given.</summary>
public sealed class FixedExperimentSnapshot(Experiment experiment) : IExperimentSnapshot
{
    private readonly ExperimentAssigner assigner = new(experiment);

    public ValueTask<ExperimentAssigner?> GetAsync(string experimentKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(experimentKey == experiment.Key ? assigner : null);
}
