using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>Signs an access token for an API key: the tenant, the key, the tenant's plan and the granted scopes.</summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, TimeProvider time, IOptions<AccessTokenOptions> options)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(ResolvedApiKey key, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        var ring = await keys.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var expires = now + options.Value.Lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = ring.Signing,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, key.Prefix),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim(ApiKeyDefaults.TenantIdClaim, key.TenantId.ToString()),
                new Claim(ApiKeyDefaults.ApiKeyIdClaim, key.ApiKeyId.ToString()),
                new Claim(ApiKeyDefaults.PlanClaim, key.Plan),
                new Claim(ApiScopes.ClaimType, ApiScopes.Join(scopes)),
            ]),
        });
        return (token, expires);
    }
}
