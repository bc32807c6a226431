namespace SaasAssistants.Database.Entities;

/// <summary>A key that signs the PublicApi's access tokens (not tenant-owned: it serves every tenant).</summary>
public sealed class ApiSigningKey
{
    public Guid Id { get; set; }
    public required string Algorithm { get; set; }
    /// <summary>PKCS#8, AES-GCM encrypted with the deployment's key.</summary>
    public required byte[] PrivateKeyEncrypted { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Signs from this moment on (until a newer key activates).</summary>
    public DateTimeOffset ActivatesAt { get; set; }
    /// <summary>Tokens it signed are accepted until this moment.</summary>
    public DateTimeOffset RetiresAt { get; set; }
}
