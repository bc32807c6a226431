namespace SaasAssistants.Gateway.Widget;

/// <summary>A message as the widget shows it, from history or pushed live.</summary>
public sealed record WidgetMessage(Guid Id, string Direction, string? Text, DateTimeOffset CreatedAt);
