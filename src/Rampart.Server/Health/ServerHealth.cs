using System.Collections.Concurrent;

namespace Rampart.Server.Health;

/// <summary>
/// What <c>GET /healthz</c> reports: each part of the server that can fail in a way a load balancer or an operator must
/// see (results stuck, the monitor failing, events not being written) reports a <see cref="HealthProblem"/> while it
/// lasts and clears it when it ends; the server is <c>degraded</c> while any is reported.
/// </summary>
public sealed class ServerHealth
{
    private readonly ConcurrentDictionary<HealthProblem, string> problems = new();

    /// <summary>True when nothing is reported.</summary>
    public bool IsHealthy => problems.IsEmpty;

    /// <summary>The problems reported now, each with why, in a stable order.</summary>
    public IReadOnlyList<(HealthProblem Problem, string Reason)> Problems =>
        [.. problems.OrderBy(p => p.Key).Select(p => (p.Key, p.Value))];

    /// <summary>Reports <paramref name="problem"/> (again, with a newer <paramref name="reason"/>).</summary>
    public void Report(HealthProblem problem, string reason) => problems[problem] = reason;

    /// <summary>Clears <paramref name="problem"/>; nothing happens when it is not reported.</summary>
    public void Clear(HealthProblem problem) => problems.TryRemove(problem, out _);
}
