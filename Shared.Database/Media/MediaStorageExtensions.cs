using Microsoft.Extensions.DependencyInjection;

namespace SaasAssistants.Database.Media;

public static class MediaStorageExtensions
{
    /// <summary>The media storage for the services that write or show customers' media (MessageProcessor, WebApp, PublicApi).</summary>
    public static IServiceCollection AddMediaStorage(this IServiceCollection services) => services.AddScoped<IMediaStorage, PostgresMediaStorage>();
}
