using System.Text.Json;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>A task to run. Every field is nullable so that a missing one is reported as a field error, not a parse failure.</summary>
/// <param name="Type">What to run, e.g. "ai.generate": lower-case words separated by dots, at most 100 characters.</param>
/// <param name="Priority">-100 to 100; a higher number runs first.</param>
/// <param name="Payload">The processor's input: a JSON object of at most 256 KB.</param>
/// <param name="ScheduledAt">Not run before this (UTC), at most a year ahead; omitted means now.</param>
/// <param name="MaxAttempts">1 to 20 attempts before the task is dead-lettered; 3 when omitted.</param>
/// <param name="DomainType">Optional business area, by name (any case): DocumentProcessing, CustomerSupport, ComplianceCheck, ContentCreation, DataAnalysis, CodeAutomation, DecisionAutomation, MonitoringAlert.</param>
/// <param name="CapabilityType">Optional machinery, by name (any case): LLM_Generation, LLM_Classification, LLM_Reasoning, Vision_OCR, Vision_ObjectDetection, Embedding_Search, RuleEngine, ExternalIntegration.</param>
/// <param name="ExecutionType">Optional execution style, by name (any case): Sync, Async, Saga, HumanInLoop, Batch, EventDriven.</param>
public sealed record CreateTaskRequest(
    string? Type,
    int? Priority,
    JsonElement? Payload,
    // Defaults mark the optional fields as such in the OpenAPI document.
    DateTimeOffset? ScheduledAt = null,
    int? MaxAttempts = null,
    string? DomainType = null,
    string? CapabilityType = null,
    string? ExecutionType = null);
