namespace SaasAssistants.Database.Entities;

public sealed class Channel : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? AssistantId { get; set; }
    /// <summary>web, whatsapp or instagram (see <see cref="ChannelTypes"/>).</summary>
    public required string Type { get; set; }
    public required string Name { get; set; }
    /// <summary>Public by design: it appears in the widget's page and in webhook URLs.</summary>
    public required string PublicToken { get; set; }
    /// <summary>The channel's id at the provider: WhatsApp phone_number_id, Instagram account id.</summary>
    public string? ExternalId { get; set; }
    /// <summary>The channel's signing secret, encrypted with <c>SecretProtector</c>; never stored in clear.</summary>
    public required byte[] SecretEncrypted { get; set; }
    public string Status { get; set; } = "active";
    /// <summary>Whose API a messaging channel speaks (<see cref="ChannelProviders"/>); null for the web widget.</summary>
    public string? Provider { get; set; }
    /// <summary>Twilio's AccountSid (the sends' URL), or Meta's business account id; not secret.</summary>
    public string? ProviderAccountId { get; set; }
    /// <summary>Meta's webhook verify token (the GET handshake), encrypted like the secret.</summary>
    public byte[]? VerifyTokenEncrypted { get; set; }
    /// <summary>The token outbound sends present (Meta's access token); encrypted like the secret.</summary>
    public byte[]? AccessTokenEncrypted { get; set; }
    /// <summary>The sites (scheme://host[:port]) a web widget may be embedded in; null or empty: any site.</summary>
    public string[]? AllowedOrigins { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class ChannelTypes
{
    public const string Web = "web";
    public const string WhatsApp = "whatsapp";
    public const string Instagram = "instagram";
}

public static class ChannelProviders
{
    public const string Meta = "meta";
    public const string Twilio = "twilio";
}
