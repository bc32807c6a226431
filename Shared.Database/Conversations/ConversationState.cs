namespace SaasAssistants.Database.Conversations;

/// <summary>The lifecycle states of seed 004, spelled as stored (conversations.state).</summary>
public static class ConversationState
{
    /// <summary>Opened; the customer has not been answered yet.</summary>
    public const string Pending = "PENDING";

    /// <summary>Answered at least once; the conversation is going on.</summary>
    public const string Progress = "PROGRESS";

    /// <summary>Quiet for longer than the idle timeout; a new customer message brings it back to PROGRESS.</summary>
    public const string IdleTimeout = "IDLE_TIMEOUT";

    /// <summary>Quiet for longer than the expiry; closed for good (a new message opens a new conversation).</summary>
    public const string Expired = "EXPIRED";

    /// <summary>Closed by an agent or the API; a new message opens a new conversation, an agent may reopen it.</summary>
    public const string Closed = "CLOSED";

    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        [Pending] = [Progress, IdleTimeout, Expired, Closed],
        [Progress] = [IdleTimeout, Expired, Closed],
        [IdleTimeout] = [Progress, Expired, Closed],
        [Expired] = [],
        // An agent may reopen what was closed (if the contact has no newer open conversation); expiry is final.
        [Closed] = [Progress],
    };

    public static bool IsKnown(string state) => Allowed.ContainsKey(state);

    public static bool IsEnded(string state) => state is Expired or Closed;

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var targets) && targets.Contains(to);
}
