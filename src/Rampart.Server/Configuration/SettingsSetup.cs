using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Rampart.Server.Configuration;

/// <summary>
/// Reads one feature's options from configuration and fails their validation at start while a value could not be used;
/// the problems are kept per options instance, so reading twice never reports one twice.
/// </summary>
/// <typeparam name="TOptions">The feature's options.</typeparam>
internal abstract class SettingsSetup<TOptions>(IConfiguration configuration) : IConfigureOptions<TOptions>, IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly ConditionalWeakTable<TOptions, List<string>> problems = [];

    /// <inheritdoc />
    public void Configure(TOptions options)
    {
        var reader = new SettingReader(configuration);
        Read(options, reader);
        problems.AddOrUpdate(options, reader.Problems);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        problems.TryGetValue(options, out var found) && found.Count > 0 ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;

    /// <summary>Sets <paramref name="options"/> from configuration, adding each value it cannot use to the reader's problems.</summary>
    protected abstract void Read(TOptions options, SettingReader reader);
}
