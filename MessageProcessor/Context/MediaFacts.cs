namespace SaasAssistants.MessageProcessor.Context;

/// <summary>What the context needs to know of a message's attachment (its message_media row) to decide.</summary>
public sealed record MediaFacts(Guid Id, string Status, string? ContentType, long? SizeBytes);
