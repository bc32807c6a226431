namespace SaasAssistants.Contracts.Messages;

public enum MessageContentType
{
    Text,
    Image,
    Audio,
    Document,
    Unsupported,
    Video,
    Sticker,
    Location,
    Contacts,
    /// <summary>A button, list row, quick reply or postback the customer chose.</summary>
    Choice,
    /// <summary>A reaction to <see cref="MessageContent.ReferencedMessageId"/>, or its removal (no emoji).</summary>
    Reaction,
    /// <summary>Instagram: a post or reel the customer shared (the URL is <see cref="MessageContent.MediaUrl"/>).</summary>
    Share,
    /// <summary>Instagram: the customer mentioned the business in their story.</summary>
    StoryMention,
    /// <summary>The customer edited <see cref="MessageContent.ReferencedMessageId"/>; the new text is <see cref="MessageContent.Text"/>.</summary>
    Edit,
    /// <summary>The customer deleted (unsent) <see cref="MessageContent.ReferencedMessageId"/>.</summary>
    Deletion,
}
