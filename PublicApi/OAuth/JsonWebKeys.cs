using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>
/// GET /.well-known/jwks.json: the public halves of every key that still verifies tokens (the active one, its
/// successor once created, and retired ones until their last token expires), so a partner or gateway can verify our
/// access tokens offline. Built from the public parameters only (ExportParameters(false)): the private scalar never
/// leaves the key ring.
/// </summary>
public static class JsonWebKeys
{
    public static async Task<Ok<JsonWebKeySetResponse>> GetAsync(SigningKeyStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var ring = await store.GetAsync(cancellationToken);
        // Caches may keep it briefly; a new key is published minutes before it signs anything (KeyActivationDelay).
        response.Headers.CacheControl = "public, max-age=60";
        var keys = ring.VerificationKeys.OfType<ECDsaSecurityKey>().Select(key =>
        {
            var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
            return new PublicJsonWebKey("EC", "P-256", Base64UrlEncoder.Encode(parameters.Q.X!), Base64UrlEncoder.Encode(parameters.Q.Y!),
                key.KeyId, "sig", SigningKeyStore.Algorithm);
        }).ToArray();
        return TypedResults.Ok(new JsonWebKeySetResponse(keys));
    }
}

/// <summary>A JSON Web Key Set (RFC 7517 §5).</summary>
/// <param name="Keys">The keys.</param>
public sealed record JsonWebKeySetResponse(PublicJsonWebKey[] Keys);

/// <summary>An elliptic-curve public key (RFC 7518 §6.2.1).</summary>
public sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string KeyType,
    [property: JsonPropertyName("crv")] string Curve,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Algorithm);
