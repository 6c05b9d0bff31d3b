using Microsoft.Extensions.Options;

namespace Rampart.Server.Configuration;

/// <summary>
/// Validates <typeparamref name="TOptions"/> with the problems its <typeparamref name="TSetup"/> found reading them: a
/// validator of its own type, so it is added beside any other validator of these options instead of giving way to one.
/// </summary>
internal sealed class SettingsValidator<TOptions, TSetup>(TSetup setup) : IValidateOptions<TOptions>
    where TOptions : class
    where TSetup : SettingsSetup<TOptions>
{
    public ValidateOptionsResult Validate(string? name, TOptions options) => setup.Validate(name, options);
}
