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
        // GETs only, safe to follow Twilio's redirect to its CDN; the task engine retries a failed fetch.
        builder.Services.AddHttpClient<MediaDownloader>();
        builder.Services.AddTaskProcessor<MediaFetchProcessor>();
        return builder;
    }
}
