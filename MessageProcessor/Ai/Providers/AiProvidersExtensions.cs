using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

public static class AiProvidersExtensions
{
    /// <summary>
    /// The <c>Ai</c> section's providers, chain and prices: <see cref="ProviderRegistry"/> (chains and single
    /// providers by name) and <see cref="PriceTable"/>. Registers no <c>IChatClient</c>: which chain a caller
    /// gets depends on the tenant or assistant, so callers ask the registry.
    /// </summary>
    public static IHostApplicationBuilder AddAiProviders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AiOptions>().Bind(builder.Configuration.GetSection(AiOptions.SectionName)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AiOptions>, AiOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<LocalResponderChatClient>();
        builder.Services.TryAddSingleton(services => new PriceTable(services.GetRequiredService<IOptions<AiOptions>>().Value.Prices));
        builder.Services.TryAddSingleton(services => new ProviderRegistry(
            services.GetRequiredService<IOptions<AiOptions>>().Value,
            services.GetRequiredService<LocalResponderChatClient>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>()));
        return builder;
    }
}
