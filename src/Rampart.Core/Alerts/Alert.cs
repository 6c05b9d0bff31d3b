using System.Collections.Immutable;
using Rampart.Core.Audit;

namespace Rampart.Core.Alerts;

/// <summary>
/// Something a person should hear about now: the monitor rolled a variant back, held a promotion on a sample-ratio
/// mismatch, promoted a winner. Sent to every configured webhook with a Slack-compatible <see cref="Text"/>.
/// </summary>
/// <param name="Experiment">The experiment's key.</param>
/// <param name="Ts">When it happened.</param>
/// <param name="Kind">What happened, as a short machine-readable word (<c>rollback</c>, <c>srm</c>, <c>promote</c>, …).</param>
/// <param name="Variant">The variant concerned, or null.</param>
/// <param name="Text">One line for people (Slack's <c>text</c> field).</param>
/// <param name="Metrics">The figures behind it (may be empty).</param>
public sealed record Alert(
    string Experiment,
    DateTimeOffset Ts,
    string Kind,
    string? Variant,
    string Text,
    ImmutableSortedDictionary<string, double> Metrics);
