using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Contracts;

namespace SaasAssistants.ServiceDefaults.Http;

/// <summary>Minimal APIs read and write JSON exactly as the wire contracts do (camelCase, enums as strings).</summary>
internal static class ContractJsonHttpOptions
{
    public static IServiceCollection AddContractJsonForHttp(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            // JsonOptions.SerializerOptions cannot be replaced, only filled in; keep its type resolver chain.
            var target = options.SerializerOptions;
            var source = ContractJson.Options;
            target.PropertyNamingPolicy = source.PropertyNamingPolicy;
            target.DictionaryKeyPolicy = source.DictionaryKeyPolicy;
            target.PropertyNameCaseInsensitive = source.PropertyNameCaseInsensitive;
            target.NumberHandling = source.NumberHandling;
            target.DefaultIgnoreCondition = source.DefaultIgnoreCondition;
            foreach (var converter in source.Converters)
            {
                target.Converters.Add(converter);
            }
        });
}
