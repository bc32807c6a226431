using System.Security.Cryptography;
using Npgsql;
using SaasAssistants.Database.Secrets;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// A tenant with one WhatsApp or Instagram channel (provider meta) answered by an assistant, written as the owner, with
/// its secrets encrypted under the deployment key as the product stores them; the clear values are kept to sign with.
/// </summary>
public sealed record MetaChannel(Guid TenantId, Guid WorkspaceId, Guid ChannelId, string Type, string ChannelKey, string ExternalId,
    string AppSecret, string VerifyToken, string AccessToken)
{
    public static async Task<MetaChannel> InsertAsync(string ownerConnectionString, string encryptionKey, string type, string provider = "meta",
        string? externalId = null, string? providerAccountId = null)
    {
        var protector = new SecretProtector(encryptionKey);
        var channel = new MetaChannel(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), type,
            $"{type[..2]}_{Guid.NewGuid():N}", externalId ?? RandomDigits(15), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            "verify-" + Guid.NewGuid().ToString("N")[..12], "EAAG" + Guid.NewGuid().ToString("N"));
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO tenants (id, name, plan) VALUES (@tenant, 'Loja ' || @key, 'pro');
            INSERT INTO workspaces (id, tenant_id, name) VALUES (@workspace, @tenant, 'Main');
            INSERT INTO channels (id, tenant_id, workspace_id, type, name, public_token, external_id, secret_encrypted,
                                  provider, provider_account_id, verify_token_encrypted, access_token_encrypted)
                VALUES (@channel, @tenant, @workspace, @type, @type, @key, @external, @secret, @provider, @account, @verify, @access);
            """, connection);
        command.Parameters.AddWithValue("tenant", channel.TenantId);
        command.Parameters.AddWithValue("workspace", channel.WorkspaceId);
        command.Parameters.AddWithValue("channel", channel.ChannelId);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("key", channel.ChannelKey);
        command.Parameters.AddWithValue("external", channel.ExternalId);
        command.Parameters.AddWithValue("secret", protector.Protect(channel.AppSecret));
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("account", (object?)providerAccountId ?? DBNull.Value);
        command.Parameters.AddWithValue("verify", protector.Protect(channel.VerifyToken));
        command.Parameters.AddWithValue("access", protector.Protect(channel.AccessToken));
        await command.ExecuteNonQueryAsync();
        return channel;
    }

    /// <summary>Meta's X-Hub-Signature-256 for a body, computed here independently of the Gateway's code.</summary>
    public string Sign(byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AppSecret), body));

    private static string RandomDigits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => RandomNumberGenerator.GetInt32(10)));
}
