using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SaasAssistants.PublicApi.Authentication;

namespace Microsoft.Extensions.Hosting;

internal static class ApiKeyAuthenticationExtensions
{
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        // Not the default scheme: only endpoints that ask for it (RequireApiKey) pay for the key check.
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, configureOptions: null);
        builder.Services.AddAuthorization();
        builder.Services.AddMemoryCache();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyResolver>();
        builder.Services.AddScoped<ApiKeyUsageRecorder>();
        return builder;
    }

    /// <summary>Endpoints of the builder accept only a valid API key and act for its tenant.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser());
}
