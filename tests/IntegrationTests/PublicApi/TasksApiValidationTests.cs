using System.Net;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>POST /api/v1/tasks refuses bad input with 400 problem+json naming the fields, and creates nothing.</summary>
public sealed class TasksApiValidationTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"priority": 0, "payload": {"prompt": "p"}}""", "type" },
        { """{"type": "AI Generate", "priority": 0, "payload": {"prompt": "p"}}""", "type" },
        { """{"type": "ai..generate", "priority": 0, "payload": {"prompt": "p"}}""", "type" },
        { $$$"""{"type": "{{{new string('a', 101)}}}", "priority": 0, "payload": {"prompt": "p"}}""", "type" },
        { """{"type": "ai.generate", "payload": {"prompt": "p"}}""", "priority" },
        { """{"type": "ai.generate", "priority": 101, "payload": {"prompt": "p"}}""", "priority" },
        { """{"type": "ai.generate", "priority": -101, "payload": {"prompt": "p"}}""", "priority" },
        { """{"type": "ai.generate", "priority": 0}""", "payload" },
        { """{"type": "ai.generate", "priority": 0, "payload": null}""", "payload" },
        { """{"type": "ai.generate", "priority": 0, "payload": "text"}""", "payload" },
        { """{"type": "ai.generate", "priority": 0, "payload": [1, 2]}""", "payload" },
        { $$$"""{"type": "ai.generate", "priority": 0, "payload": {"big": "{{{new string('x', 256 * 1024)}}}"}}""", "payload" },
        { """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p"}, "maxAttempts": 0}""", "maxAttempts" },
        { """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p"}, "maxAttempts": 21}""", "maxAttempts" },
        { $$$"""{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p"}, "scheduledAt": "{{{DateTimeOffset.UtcNow.AddYears(1).AddDays(2):O}}}"}""", "scheduledAt" },
        { """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p"}, "domainType": "Sales"}""", "domainType" },
        { """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p"}, "capabilityType": "1"}""", "capabilityType" },
        { """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p"}, "executionType": "Sync,Async"}""", "executionType" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_field_is_a_400_validation_problem_naming_it(string body, string field)
    {
        var tenant = await api.Arrange.AddTenantAsync("Sends invalid tasks");
        using var client = api.Client(tenant.ApiKey);

        var response = await client.PostTaskRawAsync(body);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.NotEmpty(errors.GetProperty(field).EnumerateArray());
        Assert.Equal(0, await api.Arrange.CountTasksAsync(tenant));
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.PostTaskRawAsync("""{"type": "", "priority": 500, "maxAttempts": 99}""", idempotencyKey: new string('k', 256));

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Idempotency-Key", "maxAttempts", "payload", "priority", "type"],
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Value_types_are_taken_by_name_in_any_case_and_answered_in_their_own_case()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.PostTaskRawAsync(
            """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p"}, "domainType": "documentprocessing", "capabilityType": "VISION_ocr", "executionType": "humaninloop"}""");

        var task = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("DocumentProcessing", task.GetProperty("domainType").GetString());
        Assert.Equal("Vision_OCR", task.GetProperty("capabilityType").GetString());
        Assert.Equal("HumanInLoop", task.GetProperty("executionType").GetString());
    }

    [Theory]
    [InlineData("""{"type": "ai.generate", "priority": 0, "payload": {""")]
    [InlineData("""not json""")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("""[{"type": "ai.generate"}]""")]
    [InlineData("""{"type": "ai.generate", "priority": "high", "payload": {"prompt": "p"}}""")]
    public async Task Malformed_json_is_a_400_problem_not_a_500(string body)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.PostTaskRawAsync(body);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("malformed_json", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.PostTaskRawAsync("type=ai.generate", mediaType: "application/x-www-form-urlencoded");

        await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_payload_of_exactly_256_KB_is_accepted()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        // {"prompt":"xxx…"} is 13 bytes plus the string.
        var payload = new { prompt = new string('x', 256 * 1024 - 13) };

        var task = await (await client.PostTaskAsync(TasksHttp.ValidBody(payload: payload))).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(JsonValueKind.Object, task.GetProperty("payload").ValueKind);
    }
}
