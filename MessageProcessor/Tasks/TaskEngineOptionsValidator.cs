using Microsoft.Extensions.Options;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>Fails startup on a Tasks section the engine could only misbehave with, naming every problem at once.</summary>
public sealed class TaskEngineOptionsValidator : IValidateOptions<TaskEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskEngineOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
