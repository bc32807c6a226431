using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Secrets;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Channels;

/// <summary>
/// Connects, edits, enables and disables the tenant's channels. Secrets are encrypted with the deployment's
/// <see cref="SecretProtector"/> exactly as the Gateway and MessageProcessor read them (the app secret or Twilio's auth
/// token in <c>secret_encrypted</c>, Meta's verify and access tokens beside it), and never read back for display.
/// All through the tenant-filtered context: another tenant's channel is not found.
/// </summary>
public sealed partial class ChannelSettings(SaasDbContext db, SecretProtector protector, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxSecretLength = 1000;

    public async Task<IReadOnlyList<ChannelView>> ListAsync(CancellationToken cancellationToken)
    {
        var assistants = await db.Assistants.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var channels = await db.Channels.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        return channels.Select(c => new ChannelView(c.Id, ChannelKinds.Of(c), c.Name, c.Status, c.PublicToken, c.ExternalId, c.ProviderAccountId,
            c.AssistantId, c.AssistantId is { } a ? assistants.GetValueOrDefault(a) : null, c.AccessTokenEncrypted is { Length: > 0 },
            c.VerifyTokenEncrypted is { Length: > 0 }, c.SecretEncrypted is { Length: > 1 }, c.AllowedOrigins ?? [], c.CreatedAt)).ToList();
    }

    public async Task<IReadOnlyList<(Guid Id, string Name)>> ListAssistantsAsync(CancellationToken cancellationToken)
        => (await db.Assistants.AsNoTracking().OrderBy(a => a.Name).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Id, a.Name)).ToList();

    public async Task<(Guid? Id, FormRefusal? Refusal)> ConnectAsync(ChannelForm form, CancellationToken cancellationToken)
    {
        var kind = form.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !ChannelKinds.All.Contains(kind))
        {
            return (null, new FormRefusal("channel_kind", "kind"));
        }
        if ((CheckCommon(form) ?? await CheckAssistantAsync(form.AssistantId, cancellationToken)) is { } refusal)
        {
            return (null, refusal);
        }

        var workspaceId = await db.Workspaces.OrderBy(w => w.CreatedAt).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken);
        if (workspaceId is null)
        {
            return (null, new FormRefusal("no_workspace"));
        }

        var channel = new Channel
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = workspaceId.Value,
            AssistantId = form.AssistantId,
            Type = kind switch { ChannelKinds.Instagram => ChannelTypes.Instagram, ChannelKinds.Web => ChannelTypes.Web, _ => ChannelTypes.WhatsApp },
            Name = form.Name!.Trim(),
            PublicToken = NewKey(kind),
            SecretEncrypted = [],
            CreatedAt = clock.GetUtcNow(),
        };
        if (Apply(channel, kind, form, isNew: true) is { } invalid)
        {
            return (null, invalid);
        }

        db.Channels.Add(channel);
        await db.SaveChangesAsync(cancellationToken);
        return (channel.Id, null);
    }

    /// <summary>Renames, re-points and replaces the secrets that were filled in; empty secrets keep the stored ones.</summary>
    public async Task<FormRefusal?> UpdateAsync(Guid id, ChannelForm form, CancellationToken cancellationToken)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (channel is null)
        {
            return new FormRefusal("not_found");
        }
        if ((CheckCommon(form) ?? await CheckAssistantAsync(form.AssistantId, cancellationToken)) is { } refusal)
        {
            return refusal;
        }

        channel.Name = form.Name!.Trim();
        channel.AssistantId = form.AssistantId;
        if (Apply(channel, ChannelKinds.Of(channel), form, isNew: false) is { } invalid)
        {
            return invalid;
        }

        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<bool> SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
        => await db.Channels.Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, active ? "active" : "disabled"), cancellationToken) == 1;

    private static FormRefusal? CheckCommon(ChannelForm form)
        => string.IsNullOrWhiteSpace(form.Name) || form.Name.Trim().Length > MaxNameLength ? new FormRefusal("channel_name", "name") : null;

    private async Task<FormRefusal?> CheckAssistantAsync(Guid? assistantId, CancellationToken cancellationToken)
        => assistantId is { } id && !await db.Assistants.AnyAsync(a => a.Id == id, cancellationToken) ? new FormRefusal("assistant_not_found", "assistantId") : null;

    /// <summary>The kind's own fields onto the channel; on a new channel every secret the provider needs is required.</summary>
    private FormRefusal? Apply(Channel channel, string kind, ChannelForm form, bool isNew)
    {
        var accountId = form.AccountId?.Trim();
        switch (kind)
        {
            case ChannelKinds.WhatsApp or ChannelKinds.Instagram:
                if (isNew && string.IsNullOrEmpty(accountId) || accountId is { Length: > 0 } && !DigitsPattern().IsMatch(accountId))
                {
                    return new FormRefusal("account_id", "accountId");
                }
                if (Secret(form.AccessToken, isNew) is { } accessRefusal)
                {
                    return accessRefusal with { Field = "accessToken" };
                }
                if (Secret(form.AppSecret, isNew) is { } appRefusal)
                {
                    return appRefusal with { Field = "appSecret" };
                }
                if (Secret(form.VerifyToken, isNew) is { } verifyRefusal)
                {
                    return verifyRefusal with { Field = "verifyToken" };
                }

                channel.Provider = ChannelProviders.Meta;
                channel.ExternalId = accountId is { Length: > 0 } ? accountId : channel.ExternalId;
                channel.AccessTokenEncrypted = Protect(form.AccessToken) ?? channel.AccessTokenEncrypted;
                channel.SecretEncrypted = Protect(form.AppSecret) ?? channel.SecretEncrypted;
                channel.VerifyTokenEncrypted = Protect(form.VerifyToken) ?? channel.VerifyTokenEncrypted;
                return null;
            case ChannelKinds.Twilio:
                var sender = accountId?.Replace("whatsapp:", "", StringComparison.OrdinalIgnoreCase).Replace(" ", "", StringComparison.Ordinal).TrimStart('+');
                if (isNew && string.IsNullOrEmpty(sender) || sender is { Length: > 0 } && !PhonePattern().IsMatch(sender))
                {
                    return new FormRefusal("twilio_sender", "accountId");
                }
                var sid = form.TwilioAccountSid?.Trim();
                if (isNew && string.IsNullOrEmpty(sid) || sid is { Length: > 0 } && !AccountSidPattern().IsMatch(sid))
                {
                    return new FormRefusal("twilio_account_sid", "twilioAccountSid");
                }
                if (Secret(form.TwilioAuthToken, isNew) is { } tokenRefusal)
                {
                    return tokenRefusal with { Field = "twilioAuthToken" };
                }

                channel.Provider = ChannelProviders.Twilio;
                channel.ExternalId = sender is { Length: > 0 } ? sender : channel.ExternalId;
                channel.ProviderAccountId = sid is { Length: > 0 } ? sid : channel.ProviderAccountId;
                channel.SecretEncrypted = Protect(form.TwilioAuthToken) ?? channel.SecretEncrypted;
                return null;
            default:
                if (AllowedOrigins.Parse(form.AllowedOrigins) is not { } origins)
                {
                    return new FormRefusal("allowed_origins", "allowedOrigins");
                }

                channel.AllowedOrigins = origins.Length == 0 ? null : origins;
                if (isNew)
                {
                    // The widget's session-signing key: the Gateway's own, never typed by anyone.
                    channel.SecretEncrypted = protector.Protect(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
                }
                return null;
        }
    }

    private static FormRefusal? Secret(string? value, bool required)
        => string.IsNullOrWhiteSpace(value) ? (required ? new FormRefusal("secret_required") : null)
            : value.Trim().Length > MaxSecretLength ? new FormRefusal("secret_too_long") : null;

    private byte[]? Protect(string? value) => string.IsNullOrWhiteSpace(value) ? null : protector.Protect(value.Trim());

    /// <summary>The public key in the callback URL (or the widget's data-channel): unguessable, so URLs cannot be enumerated.</summary>
    private static string NewKey(string kind)
        => kind switch { ChannelKinds.WhatsApp => "wa_", ChannelKinds.Instagram => "ig_", ChannelKinds.Twilio => "tw_", _ => "wc_" }
           + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    [GeneratedRegex("^[0-9]{5,30}$")]
    private static partial Regex DigitsPattern();

    [GeneratedRegex("^[0-9]{8,15}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();
}
