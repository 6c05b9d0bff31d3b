using Microsoft.Extensions.Options;

namespace Rampart.Llm.Judging;

/// <summary>Validates <see cref="JudgeOptions"/> at start, listing every problem in one message.</summary>
internal sealed class JudgeOptionsValidator : IValidateOptions<JudgeOptions>
{
    public ValidateOptionsResult Validate(string? name, JudgeOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
