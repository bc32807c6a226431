using System.Text.Json;
using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.TaskEngine;

public class TaskProcessorsTests
{
    private sealed class Named(string type) : ITaskProcessor
    {
        public string Type => type;

        public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => [];

        public Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken) => Task.FromResult(TaskResult.Empty);

        public TaskFailure ClassifyFailure(Exception exception) => TaskFailure.Unexpected(exception);
    }

    [Fact]
    public void Processors_are_found_by_their_exact_type()
    {
        var generate = new Named("ai.generate");
        var processors = new TaskProcessors([generate, new Named("delivery.send")]);

        Assert.Same(generate, processors.Find("ai.generate"));
        Assert.Null(processors.Find("AI.GENERATE"));
        Assert.Null(processors.Find("unknown"));
        Assert.Equal(["ai.generate", "delivery.send"], processors.Types.Order());
    }

    [Fact]
    public void Two_processors_for_one_type_fail_at_startup()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new TaskProcessors([new Named("ai.generate"), new Named("ai.generate")]));

        Assert.Contains("ai.generate", exception.Message);
    }

    [Fact]
    public void An_unexpected_exception_is_retryable_and_says_what_it_was()
    {
        var failure = TaskFailure.Unexpected(new TimeoutException("db slow"));

        Assert.Equal((TaskEngineErrorCodes.ProcessorError, true, "TimeoutException: db slow"), (failure.Code, failure.IsRetryable, failure.Detail));
    }
}
