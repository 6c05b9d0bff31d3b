namespace Rampart.Analysis.Timelines;

/// <summary>An experiment over time, in equal windows from <see cref="From"/> to <see cref="To"/>, for charts.</summary>
/// <param name="Experiment">The experiment's key.</param>
/// <param name="Control">The control variant.</param>
/// <param name="Score">The primary score whose difference is traced.</param>
/// <param name="Variants">The variants, control first.</param>
/// <param name="From">The start of the first window.</param>
/// <param name="To">The end of the last window.</param>
/// <param name="Points">One point per window, oldest first.</param>
public sealed record Timeline(
    string Experiment, string Control, string Score, IReadOnlyList<string> Variants, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TimelinePoint> Points);
