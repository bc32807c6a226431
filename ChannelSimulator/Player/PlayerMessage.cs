namespace SaasAssistants.ChannelSimulator.Player;

/// <summary>What the developer, playing a customer, sends: text, an image (by URL), or a location.</summary>
public sealed record PlayerMessage(string? From, string? Name, string? Text, string? ImageUrl, double? Latitude, double? Longitude);
