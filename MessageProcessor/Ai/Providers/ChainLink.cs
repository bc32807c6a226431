using Microsoft.Extensions.AI;
using Polly;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>One provider in a chain, behind the circuit breaker that all chains share for that provider.</summary>
public sealed record ChainLink(string Provider, IChatClient Client, ResiliencePipeline CircuitBreaker);
