namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>WhatsApp Cloud API webhook bodies in Meta's documented shape (developers.facebook.com, "Webhooks payload examples").</summary>
public static class WhatsAppPayloads
{
    public static string Delivery(string phoneNumberId, string value) =>
        """{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":"""
        + WithMetadata(phoneNumberId, value) + "}]}]}";

    public static string WithMetadata(string phoneNumberId, string rest) =>
        $$$"""{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{{phoneNumberId}}}"},{{{rest}}}}""";

    public static string Contact(string waId, string name) => $$$"""{"profile":{"name":"{{{name}}}"},"wa_id":"{{{waId}}}"}""";

    public static string Text(string from, string wamid, string body, long timestamp = 1749416383) =>
        $$$"""{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"{{{timestamp}}}","type":"text","text":{"body":"{{{body}}}"}}""";

    public static string NewWamid() => "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQ" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
}
