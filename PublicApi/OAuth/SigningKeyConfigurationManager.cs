using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>
/// Hands JwtBearer the keys from <see cref="SigningKeyStore"/> the way it takes an identity provider's metadata: it asks
/// for the configuration per request (cached in the store) and asks for a refresh when a token names an unknown key.
/// </summary>
public sealed class SigningKeyConfigurationManager(SigningKeyStore store, string issuer) : IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancellationToken)
    {
        var ring = await store.GetAsync(cancellationToken);
        var configuration = new OpenIdConnectConfiguration { Issuer = issuer };
        foreach (var key in ring.VerificationKeys)
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    public void RequestRefresh() => store.Invalidate();
}
