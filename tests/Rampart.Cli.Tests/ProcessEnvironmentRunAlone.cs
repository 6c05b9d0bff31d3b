namespace Rampart.Cli.Tests;

/// <summary>
/// The collection of tests that change the process's environment: run alone, since every host another test builds reads
/// the same variables.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironmentRunAlone), DisableParallelization = true)]
public sealed class ProcessEnvironmentRunAlone;
