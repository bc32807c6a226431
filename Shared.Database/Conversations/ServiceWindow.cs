namespace SaasAssistants.Database.Conversations;

/// <summary>
/// WhatsApp's customer-service window: free-form messages only within 24 hours of the customer's last message;
/// outside it, only a template. Instagram's messaging window has the same 24 hours, without templates. MessageProcessor's message.send applies the same rule when it sends (Meta's 131047).
/// </summary>
public static class ServiceWindow
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>When the window closes; null when the customer never wrote (a conversation the business started).</summary>
    public static DateTimeOffset? ClosesAt(DateTimeOffset? lastCustomerMessageAt) => lastCustomerMessageAt + Length;

    public static bool IsOpen(DateTimeOffset? lastCustomerMessageAt, DateTimeOffset now)
        => ClosesAt(lastCustomerMessageAt) is { } closes && now < closes;
}
