using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.PublicApi.Conversations;

/// <param name="Direction">inbound: from the contact; outbound: from the assistant or an agent.</param>
/// <param name="Sender">contact, assistant or agent.</param>
/// <param name="Text">The text, or null for media without a caption.</param>
/// <param name="Model">For an assistant's reply, the AI model that wrote it.</param>
public sealed record MessageResponse(
    Guid Id,
    MessageDirection Direction,
    string Sender,
    string? Text,
    MessageContentType ContentType,
    string? Model,
    DateTimeOffset CreatedAt);
