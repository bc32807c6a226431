using Microsoft.IdentityModel.Tokens;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>The keys as loaded at one moment: the one that signs now, and every key whose tokens are still accepted.</summary>
public sealed record SigningKeyRing(SigningCredentials Signing, IReadOnlyList<SecurityKey> VerificationKeys, DateTimeOffset LoadedAt);
