namespace SaasAssistants.WebApp.Conversations;

/// <summary>The conversation list's filters, as the query string carries them (so a filtered list can be linked and reloaded).</summary>
/// <param name="State">open, closed, or one lifecycle state (PENDING, PROGRESS, IDLE_TIMEOUT, EXPIRED, CLOSED); null for any.</param>
/// <param name="Channel">web, whatsapp or instagram; null for any.</param>
/// <param name="Mine">Only the conversations assigned to the signed-in agent.</param>
/// <param name="Waiting">Only those waiting for a person (handoff waiting_for_human).</param>
/// <param name="Unanswered">Only those whose latest message is the customer's.</param>
/// <param name="Search">Contact name, id on the channel, or message text.</param>
public sealed record ConversationFilter(string? State, string? Channel, bool Mine, bool Waiting, bool Unanswered, string? Search, int Page)
{
    public const int PageSize = 25;

    public static readonly string[] States = ["open", "closed", "PENDING", "PROGRESS", "IDLE_TIMEOUT", "EXPIRED", "CLOSED"];
    public static readonly string[] Channels = ["web", "whatsapp", "instagram"];

    public bool IsFiltered => State is not null || Channel is not null || Mine || Waiting || Unanswered || Search is not null || Page > 1;

    /// <summary>Unknown values are dropped rather than refused: a hand-edited link shows the whole list, not an error.</summary>
    public static ConversationFilter From(string? state, string? channel, bool? mine, bool? waiting, bool? unanswered, string? search, int? page)
        => new(States.Contains(state) ? state : null, Channels.Contains(channel) ? channel : null, mine == true, waiting == true, unanswered == true,
            string.IsNullOrWhiteSpace(search) ? null : search.Trim()[..Math.Min(search.Trim().Length, 200)], Math.Clamp(page ?? 1, 1, 10_000));

    /// <summary>This filter's query string for another page.</summary>
    public string QueryFor(int page)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("state", State);
        Add("channel", Channel);
        Add("mine", Mine ? "true" : null);
        Add("waiting", Waiting ? "true" : null);
        Add("unanswered", Unanswered ? "true" : null);
        Add("q", Search);
        Add("page", page > 1 ? page.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        return parts.Count == 0 ? "/conversations" : "/conversations?" + string.Join('&', parts);
    }
}
