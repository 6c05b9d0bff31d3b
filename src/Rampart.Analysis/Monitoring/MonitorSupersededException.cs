namespace Rampart.Analysis.Monitoring;

/// <summary>A monitor action that, decided again on the experiment as it now stands (after a concurrent change), is no longer due.</summary>
internal sealed class MonitorSupersededException(string message) : Exception(message);
