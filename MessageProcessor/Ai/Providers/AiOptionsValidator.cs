using Microsoft.Extensions.Options;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>Fails startup on a provider configuration that could only fail later, task by task.</summary>
public sealed class AiOptionsValidator : IValidateOptions<AiOptions>
{
    public ValidateOptionsResult Validate(string? name, AiOptions options)
    {
        var problems = new List<string>();
        foreach (var (provider, settings) in options.Providers)
        {
            var key = $"{AiOptions.SectionName}:Providers:{provider}";
            if (settings.Kind is null)
            {
                problems.Add($"{key}:Kind is required ({string.Join(", ", Enum.GetNames<ProviderKind>())}).");
            }
            else if (settings.Kind != ProviderKind.Local && string.IsNullOrWhiteSpace(settings.Model))
            {
                problems.Add($"{key}:Model is required.");
            }

            if (settings.TimeoutSeconds <= 0)
            {
                problems.Add($"{key}:TimeoutSeconds must be positive.");
            }

            if (string.Equals(provider, ProviderRegistry.LocalProviderName, StringComparison.OrdinalIgnoreCase) && settings.Kind is not (null or ProviderKind.Local))
            {
                problems.Add($"{key} is the built-in local responder's name; give this provider another one.");
            }
        }
        foreach (var provider in options.Chain.Where(provider => !options.Providers.ContainsKey(provider)
                     && !string.Equals(provider, ProviderRegistry.LocalProviderName, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"{AiOptions.SectionName}:Chain names '{provider}', which is not under {AiOptions.SectionName}:Providers.");
        }

        foreach (var (model, price) in options.Prices.Where(entry => entry.Value.InputPerMillion < 0 || entry.Value.OutputPerMillion < 0))
        {
            problems.Add($"{AiOptions.SectionName}:Prices:{model} cannot be negative.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
