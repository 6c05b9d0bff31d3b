using Rampart.Server;

// The contents page is RampartServer.Build: configuration, services, middleware and one Map… per API area,
// shared with `rampart serve`.
var app = RampartServer.Build(args);
await app.RunAsync();

/// <summary>The entry point, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
