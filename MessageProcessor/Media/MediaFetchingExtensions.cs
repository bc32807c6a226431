using SaasAssistants.Database.Media;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Media;

public static class MediaFetchingExtensions
{
    /// <summary>Inbound media: <c>media.fetch</c> tasks that download customers' attachments into the media storage.</summary>
    public static IHostApplicationBuilder AddMediaFetching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.SectionName);
        builder.Services.AddScoped<MediaFetches>();
        builder.Services.AddMediaStorage();
        builder.Services.AddSingleton<MediaHostPolicy>();
        // The task engine retries a failed fetch. MediaDownloader follows redirects (Twilio's to its CDN) itself, so
        // that each hop is checked; every connection re-checks the address it goes to.
        builder.Services.AddHttpClient<MediaDownloader>()
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // New connections resolve DNS again, so the check follows a CDN that moved.
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = services.GetRequiredService<MediaHostPolicy>().ConnectAsync,
            });
        builder.Services.AddTaskProcessor<MediaFetchProcessor>();
        return builder;
    }
}
