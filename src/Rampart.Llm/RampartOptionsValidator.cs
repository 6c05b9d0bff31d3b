using Microsoft.Extensions.Options;

namespace Rampart.Llm;

/// <summary>Validates <see cref="RampartOptions"/> at start, listing every problem in one message.</summary>
internal sealed class RampartOptionsValidator : IValidateOptions<RampartOptions>
{
    public ValidateOptionsResult Validate(string? name, RampartOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
