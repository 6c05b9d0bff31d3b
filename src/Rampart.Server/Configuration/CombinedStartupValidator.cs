using Microsoft.Extensions.Options;

namespace Rampart.Server.Configuration;

/// <summary>The host's start check, turning the failures of several options classes into one error listing them all.</summary>
internal sealed class CombinedStartupValidator(IStartupValidator inner) : IStartupValidator
{
    /// <summary>The name the combined error gives the options: the configuration as a whole.</summary>
    public const string OptionsName = "rampart.json";

    /// <inheritdoc />
    public void Validate()
    {
        try
        {
            inner.Validate();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures).Distinct(StringComparer.Ordinal).ToList();
            throw new OptionsValidationException(OptionsName, typeof(IConfiguration), failures);
        }
    }
}
