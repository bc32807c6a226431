namespace SaasAssistants.Database.Tasks;

/// <summary>The business area a task serves (from the seeds); stored as the member's name.</summary>
public enum DomainType
{
    DocumentProcessing,
    CustomerSupport,
    ComplianceCheck,
    ContentCreation,
    DataAnalysis,
    CodeAutomation,
    DecisionAutomation,
    MonitoringAlert,
}
