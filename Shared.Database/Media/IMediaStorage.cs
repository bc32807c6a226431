namespace SaasAssistants.Database.Media;

/// <summary>
/// Where the bytes of a customer's media live, keyed by the message_media row's id. Always used in a tenant's scope:
/// one tenant can neither write nor read another's media.
/// </summary>
public interface IMediaStorage
{
    Task SaveAsync(Guid tenantId, Guid mediaId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The stored bytes, or null when nothing is stored for the id (or it belongs to another tenant).</summary>
    Task<byte[]?> ReadAsync(Guid mediaId, CancellationToken cancellationToken);
}
