namespace Rampart.Dashboard.Tests;

/// <summary>One filled server for every dashboard test; the tests run one after another against it.</summary>
[CollectionDefinition(Name)]
public sealed class SharedDashboardServer : ICollectionFixture<DashboardServer>
{
    public const string Name = "dashboard";
}
