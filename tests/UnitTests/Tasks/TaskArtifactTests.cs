using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

public class TaskArtifactTests
{
    private static readonly Guid TaskId = Guid.CreateVersion7();

    [Fact]
    public void Text_and_json_carry_content_files_and_links_a_uri()
    {
        var at = TaskSamples.T0;
        var text = TaskArtifact.Text(TaskSamples.TenantId, TaskId, "Olá!", at);
        var json = TaskArtifact.Json(TaskSamples.TenantId, TaskId, """{"a":1}""", at);
        var file = TaskArtifact.File(TaskSamples.TenantId, TaskId, "s3://bucket/report.pdf", at);
        var link = TaskArtifact.Link(TaskSamples.TenantId, TaskId, "https://example.com/x", at);

        Assert.Equal((TaskArtifactKind.Text, "Olá!", (string?)null), (text.Kind, text.Content, text.Uri));
        Assert.Equal((TaskArtifactKind.Json, """{"a":1}"""), (json.Kind, json.Content));
        Assert.Equal((TaskArtifactKind.File, (string?)null, "s3://bucket/report.pdf"), (file.Kind, file.Content, file.Uri));
        Assert.Equal((TaskArtifactKind.Link, "https://example.com/x"), (link.Kind, link.Uri));
    }

    [Fact]
    public void Malformed_artifacts_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TaskArtifact.Json(TaskSamples.TenantId, TaskId, "{oops", TaskSamples.T0));
        Assert.Throws<ArgumentException>(() => TaskArtifact.Link(TaskSamples.TenantId, TaskId, "not a uri", TaskSamples.T0));
        Assert.Throws<ArgumentException>(() => TaskArtifact.Text(Guid.Empty, TaskId, "x", TaskSamples.T0));
    }
}
