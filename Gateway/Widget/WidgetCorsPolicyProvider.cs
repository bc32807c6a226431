using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using SaasAssistants.Gateway.Channels;

namespace SaasAssistants.Gateway.Widget;

/// <summary>
/// The CORS policy of the widget's endpoints, per channel: the origins the tenant allowed on the channels page, or any
/// origin when the list is empty (or the token is unknown: the endpoint then answers its own 404 problem, which the
/// browser should be able to read). The channel comes from <see cref="ChannelResolver"/>'s cache, so this costs no
/// database round trip. Every other policy name is looked up as the default provider would.
/// </summary>
public sealed class WidgetCorsPolicyProvider(IOptions<CorsOptions> options, ChannelResolver channels) : ICorsPolicyProvider
{
    public const string PolicyName = "widget";

    private static readonly CorsPolicy AnyOrigin = Build(policy => policy.AllowAnyOrigin());

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (policyName != PolicyName)
        {
            return options.Value.GetPolicy(policyName ?? options.Value.DefaultPolicyName);
        }

        var channel = context.GetRouteValue("channelToken") is string token
            ? await channels.ResolveAsync(token, context.RequestAborted)
            : null;
        return channel is { AllowedOrigins.Count: > 0 }
            ? Build(policy => policy.WithOrigins([.. channel.AllowedOrigins]))
            : AnyOrigin;
    }

    /// <summary>What the widget needs besides the origin: its JSON posts, the session header, the correlation id back.</summary>
    public static CorsPolicy Build(Action<CorsPolicyBuilder> origins)
    {
        var policy = new CorsPolicyBuilder().AllowAnyHeader().WithMethods("GET", "POST").WithExposedHeaders("X-Correlation-Id");
        origins(policy);
        return policy.Build();
    }
}
