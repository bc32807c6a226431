using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.MessageProcessor.Tasks.Processors;

namespace SaasAssistants.MessageProcessor.Knowledge;

public static class KnowledgeIndexingExtensions
{
    /// <summary>
    /// The worker's side of knowledge bases: the knowledge services (search for replies), the <c>knowledge.index</c>
    /// processor and re-embedding after a model change. Needs AddSaasDatabase and AddTaskEngine.
    /// </summary>
    public static IHostApplicationBuilder AddKnowledgeIndexing(this IHostApplicationBuilder builder)
    {
        builder.AddKnowledge();
        builder.Services.AddTaskProcessor<KnowledgeIndexProcessor>();
        builder.Services.AddHostedService<KnowledgeReembedder>();
        return builder;
    }
}
