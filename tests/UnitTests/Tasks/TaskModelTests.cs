using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Tenancy;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

/// <summary>The EF mapping of the task tables against the names and types of Migrations/0002_tasks.sql.</summary>
public class TaskModelTests
{
    private static SaasDbContext Context()
    {
        var options = new DbContextOptionsBuilder<SaasDbContext>().UseNpgsql("Host=127.0.0.1;Port=1;Timeout=1", npgsql => npgsql.UseVector()).Options;
        return new SaasDbContext(options, new TenantContext());
    }

    [Theory]
    [InlineData(typeof(TaskItem), "tasks")]
    [InlineData(typeof(TaskAttempt), "task_attempts")]
    [InlineData(typeof(TaskArtifact), "task_artifacts")]
    public void Tables_keep_the_schema_names(Type entity, string table)
    {
        using var db = Context();

        Assert.Equal(table, db.Model.FindEntityType(entity)!.GetTableName());
    }

    [Theory]
    [InlineData(typeof(TaskItem), nameof(TaskItem.IdempotencyKey), "idempotency_key")]
    [InlineData(typeof(TaskItem), nameof(TaskItem.CancelRequestedAt), "cancel_requested_at")]
    [InlineData(typeof(TaskItem), nameof(TaskItem.RequestHash), "request_hash")]
    [InlineData(typeof(TaskItem), nameof(TaskItem.Type), "type")]
    [InlineData(typeof(TaskAttempt), nameof(TaskAttempt.AttemptNo), "attempt_no")]
    [InlineData(typeof(TaskAttempt), nameof(TaskAttempt.LatencyMs), "latency_ms")]
    [InlineData(typeof(TaskArtifact), nameof(TaskArtifact.Uri), "uri")]
    public void Columns_are_snake_case(Type entity, string property, string column)
    {
        using var db = Context();

        Assert.Equal(column, db.Model.FindEntityType(entity)!.FindProperty(property)!.GetColumnName());
    }

    [Fact]
    public void Computed_members_are_not_mapped()
    {
        using var db = Context();

        Assert.Null(db.Model.FindEntityType(typeof(TaskItem))!.FindProperty(nameof(TaskItem.IsEnded)));
    }

    [Fact]
    public void Statuses_are_stored_as_their_enum_names()
    {
        using var db = Context();
        var status = db.Model.FindEntityType(typeof(TaskItem))!.FindProperty(nameof(TaskItem.Status))!;

        Assert.Equal("DeadLetter", status.GetTypeMapping().Converter!.ConvertToProvider(TaskItemStatus.DeadLetter));
        Assert.Equal("LLM_Generation", Converter(db, typeof(TaskItem), nameof(TaskItem.CapabilityType)).ConvertToProvider(CapabilityType.LLM_Generation));
        Assert.Equal("Released", Converter(db, typeof(TaskAttempt), nameof(TaskAttempt.Status)).ConvertToProvider(TaskAttemptStatus.Released));
    }

    [Fact]
    public void Artifact_kinds_are_stored_in_lower_case()
    {
        using var db = Context();
        var kind = Converter(db, typeof(TaskArtifact), nameof(TaskArtifact.Kind));

        Assert.Equal("json", kind.ConvertToProvider(TaskArtifactKind.Json));
        Assert.Equal(TaskArtifactKind.Link, kind.ConvertFromProvider("link"));
    }

    [Fact]
    public void A_save_from_a_stale_status_or_attempt_is_detected()
    {
        using var db = Context();
        var task = db.Model.FindEntityType(typeof(TaskItem))!;

        var tokens = task.GetProperties().Where(p => p.IsConcurrencyToken).Select(p => p.Name).Order();

        Assert.Equal([nameof(TaskItem.AttemptCount), nameof(TaskItem.Status)], tokens);
    }

    [Fact]
    public void Payload_is_jsonb_and_cost_has_the_schema_precision()
    {
        using var db = Context();

        Assert.Equal("jsonb", db.Model.FindEntityType(typeof(TaskItem))!.FindProperty(nameof(TaskItem.Payload))!.GetColumnType());
        var cost = db.Model.FindEntityType(typeof(TaskAttempt))!.FindProperty(nameof(TaskAttempt.Cost))!;
        Assert.Equal((12, 6), (cost.GetPrecision(), cost.GetScale()));
    }

    private static ValueConverter Converter(SaasDbContext db, Type entity, string property) =>
        db.Model.FindEntityType(entity)!.FindProperty(property)!.GetTypeMapping().Converter!;
}
