namespace Rampart.Server.Access;

/// <summary>Where the server prints what only the operator may see, once (a generated admin key): standard output by default.</summary>
/// <param name="Output">The writer.</param>
public sealed record ServerConsole(TextWriter Output);
