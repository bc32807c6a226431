namespace SaasAssistants.WebApp.Localization;

/// <summary>Marker for the CRM's user-facing strings: SharedResource.resx (en) and SharedResource.pt-BR.resx.</summary>
public sealed class SharedResource;
