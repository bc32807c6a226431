using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.OAuth;

namespace Microsoft.Extensions.Hosting;

internal static class ApiKeyAuthenticationExtensions
{
    /// <summary>
    /// Two credentials, one door: an API key in X-Api-Key, or an access token from POST /oauth/token in
    /// Authorization: Bearer. The "PublicApi" policy scheme forwards each request to the scheme of the credential it
    /// carries, so exactly one scheme authenticates it and exactly one answers a 401.
    /// </summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        // Not the default scheme: only endpoints that ask for it (RequireApiKey, RequireScope) pay for the check.
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, configureOptions: null)
            .AddJwtBearer(AccessTokenDefaults.Scheme, _ => { })
            .AddPolicyScheme(PublicApiAuthentication.Scheme, "API key or access token", options => options.ForwardDefaultSelector =
                context => context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? AccessTokenDefaults.Scheme
                    : ApiKeyDefaults.Scheme);
        builder.Services.AddOptions<AccessTokenOptions>().BindConfiguration(AccessTokenOptions.Section);
        builder.Services.AddOptions<JwtBearerOptions>(AccessTokenDefaults.Scheme)
            .Configure<SigningKeyStore, IOptions<AccessTokenOptions>>((jwt, store, tokens) =>
            {
                // Claims keep their JWT names (tenant_id, scope), as the API key's principal has them.
                jwt.MapInboundClaims = false;
                jwt.ConfigurationManager = new SigningKeyConfigurationManager(store, tokens.Value.Issuer);
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = tokens.Value.Issuer,
                    ValidAudience = tokens.Value.Audience,
                    ValidAlgorithms = [SigningKeyStore.Algorithm],
                    NameClaimType = "sub",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                jwt.Events = AccessTokenEvents.Create();
            });
        builder.Services.AddAuthorization();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ScopeAuthorizationHandler>();
        builder.Services.AddMemoryCache();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyResolver>();
        builder.Services.AddScoped<ApiKeyUsageRecorder>();
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        return builder;
    }

    /// <summary>
    /// Endpoints of the builder accept only a valid API key or access token and act for its tenant. (The name predates
    /// access tokens; endpoints that need a particular permission add <see cref="RequireScope{TBuilder}"/>.)
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(policy => policy.AddAuthenticationSchemes(PublicApiAuthentication.Scheme).RequireAuthenticatedUser());

    /// <summary>The credential must grant <paramref name="scope"/> (see <see cref="ApiScopes"/>); otherwise 403 naming it.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(policy => policy.AddAuthenticationSchemes(PublicApiAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(scope)));
}
