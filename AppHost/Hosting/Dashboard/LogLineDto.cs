namespace SaasAssistants.AppHost.Hosting.Dashboard;

/// <summary>One element of <c>GET /api/resources/{name}/logs</c>.</summary>
public sealed record LogLineDto(DateTimeOffset Timestamp, string Text, bool IsError);
