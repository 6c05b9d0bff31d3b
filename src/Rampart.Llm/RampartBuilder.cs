using Microsoft.Extensions.DependencyInjection;

namespace Rampart.Llm;

/// <summary>Returned by <see cref="RampartServiceCollectionExtensions.AddRampart"/> for further registrations.</summary>
/// <param name="services">The service collection Rampart was added to.</param>
public sealed class RampartBuilder(IServiceCollection services)
{
    /// <summary>The service collection Rampart was added to.</summary>
    public IServiceCollection Services { get; } = services;
}
