using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Context;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// For a provider configured without images (<see cref="ProviderOptions.Images"/> off): each image of a turn is
/// replaced by its marker before the request, so a text-only model learns a photo was sent instead of rejecting the call.
/// </summary>
public sealed class TextOnlyChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetResponseAsync(WithoutImages(messages), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
        => base.GetStreamingResponseAsync(WithoutImages(messages), options, cancellationToken);

    private static List<ChatMessage> WithoutImages(IEnumerable<ChatMessage> messages) => messages
        .Select(message => message.Contents.Any(IsImage)
            ? new ChatMessage(message.Role, message.Contents.Select(c => IsImage(c) ? MediaMarkers.Content(MediaMarkers.Image) : c).ToList())
            {
                AuthorName = message.AuthorName,
                MessageId = message.MessageId,
                AdditionalProperties = message.AdditionalProperties,
            }
            : message)
        .ToList();

    private static bool IsImage(AIContent content) => content is DataContent data && data.HasTopLevelMediaType("image");
}
