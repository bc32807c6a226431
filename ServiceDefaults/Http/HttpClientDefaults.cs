using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SaasAssistants.ServiceDefaults.Correlation;
using SaasAssistants.ServiceDefaults.ServiceDiscovery;

namespace SaasAssistants.ServiceDefaults.Http;

/// <summary>What every HttpClient from IHttpClientFactory gets, outermost first.</summary>
internal static class HttpClientDefaults
{
    public static IServiceCollection AddHttpClientDefaults(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpResilienceOptions>().Bind(configuration.GetSection(HttpResilienceOptions.SectionName));
        services.AddSingleton<ServiceEndpointResolver>();

        services.ConfigureHttpClientDefaults(http =>
        {
            http.AddHttpMessageHandler(() => new CorrelationIdPropagationHandler());
            // A pipeline per handler is cheap, and the factory recycles handlers, so changed options apply in minutes.
            http.AddHttpMessageHandler(sp => new ResilienceHandler(HttpResiliencePipeline.Create(
                sp.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>().CurrentValue,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ResilienceHandler)))));
            // Innermost, as in Aspire (resilience, then service discovery).
            http.AddHttpMessageHandler(sp => new ServiceDiscoveryHandler(sp.GetRequiredService<ServiceEndpointResolver>()));
        });

        return services;
    }
}
