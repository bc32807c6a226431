namespace SaasAssistants.Database.Conversations;

/// <summary>Who answers a conversation (conversations.handoff). Only <see cref="Assistant"/> lets the assistant reply.</summary>
public static class Handoff
{
    public const string Assistant = "assistant";
    public const string WaitingForHuman = "waiting_for_human";
    public const string Human = "human";
}

/// <summary>Why a conversation went to a person, as the tenant sees it (conversations.handoff_reason).</summary>
public static class HandoffReasons
{
    public const string CustomerAsked = "customer_asked";
    public const string AssistantCannotHelp = "assistant_cannot_help";
    public const string NoKnowledge = "no_matching_knowledge";
    public const string AiBudgetReached = "ai_budget_reached";
    public const string AgentTookOver = "agent_took_over";
    public const string HandedBack = "handed_back";
}
