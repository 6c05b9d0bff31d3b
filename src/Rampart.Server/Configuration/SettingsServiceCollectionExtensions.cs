using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Rampart.Server.Configuration;

/// <summary>Registers a feature's options, read from configuration and validated at start.</summary>
internal static class SettingsServiceCollectionExtensions
{
    /// <summary>Adds <typeparamref name="TOptions"/>, read and validated by <typeparamref name="TSetup"/> (each a <c>TryAdd</c>), checked at start.</summary>
    public static IServiceCollection AddSettings<TOptions, TSetup>(this IServiceCollection services)
        where TOptions : class
        where TSetup : SettingsSetup<TOptions>
    {
        services.TryAddSingleton<TSetup>();
        services.TryAddSingleton<IConfigureOptions<TOptions>>(sp => sp.GetRequiredService<TSetup>());
        // Beside, not instead of, another validator of these options registered before (AddRampart's of JudgeOptions).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, SettingsValidator<TOptions, TSetup>>());
        services.AddOptions<TOptions>().ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Makes the start's options check throw one <see cref="OptionsValidationException"/> listing every problem of every
    /// options class, where the host's own check throws an <see cref="AggregateException"/> when several classes fail.
    /// </summary>
    public static IServiceCollection AddOneStartupError(this IServiceCollection services)
    {
        var host = services.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator) && d.ImplementationType is not null);
        if (host?.ImplementationType is { } type)
        {
            services.Remove(host);
            services.AddTransient<IStartupValidator>(sp => new CombinedStartupValidator((IStartupValidator)ActivatorUtilities.CreateInstance(sp, type)));
        }

        return services;
    }
}
