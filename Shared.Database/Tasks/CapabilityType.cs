namespace SaasAssistants.Database.Tasks;

/// <summary>The kind of machinery a task needs; the seeds' names verbatim (underscores too), since they are stored and exposed.</summary>
public enum CapabilityType
{
    LLM_Generation,
    LLM_Classification,
    LLM_Reasoning,
    Vision_OCR,
    Vision_ObjectDetection,
    Embedding_Search,
    RuleEngine,
    ExternalIntegration,
}
