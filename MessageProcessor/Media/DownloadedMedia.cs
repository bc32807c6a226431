namespace SaasAssistants.MessageProcessor.Media;

/// <summary>The bytes of one media file and the type its source declared.</summary>
public sealed record DownloadedMedia(byte[] Content, string ContentType);
