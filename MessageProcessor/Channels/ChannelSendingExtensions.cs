using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Channels;

public static class ChannelSendingExtensions
{
    /// <summary>Outbound delivery to WhatsApp and Instagram: <c>message.send</c> tasks through the Graph API (or the channel simulator).</summary>
    public static IHostApplicationBuilder AddChannelSending(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChannelsOptions>().BindConfiguration(ChannelsOptions.SectionName);
        // POSTs are not retried by the HttpClient defaults: a send's retries belong to the task engine, which honours Retry-After.
        builder.Services.AddHttpClient<GraphApiClient>();
        builder.Services.AddHttpClient<TwilioClient>();
        builder.Services.AddTaskProcessor<MessageSendProcessor>();
        return builder;
    }
}
