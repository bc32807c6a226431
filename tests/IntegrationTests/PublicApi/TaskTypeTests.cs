using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>The seeds' type names are aliases of ours; an unknown type or a payload its processor would refuse is a 400 at creation.</summary>
public sealed class TaskTypeTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Theory]
    [InlineData("DOCUMENT_SUMMARY", "ai.generate")]
    [InlineData("MESSAGE_SEND", "message.send")]
    public async Task A_seed_s_type_name_creates_a_task_of_our_type(string seedType, string ourType)
    {
        using var client = api.Client(api.TenantA.ApiKey);
        object payload = ourType switch
        {
            "ai.generate" => new { prompt = "Resuma o contrato em três linhas." },
            "message.send" => new { messageId = Guid.NewGuid() },
            _ => throw new ArgumentOutOfRangeException(nameof(ourType)),
        };

        var task = await (await client.PostTaskAsync(new { type = seedType, priority = 0, payload })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(ourType, task.GetProperty("type").GetString());
    }

    [Fact]
    public async Task BOLETO_EMIT_is_refused_with_a_422_saying_it_is_not_available_and_creates_nothing()
    {
        var tenant = await api.Arrange.AddTenantAsync("Asks for a boleto");
        using var client = api.Client(tenant.ApiKey);

        var problem = await (await client.PostTaskAsync(new
        {
            type = "BOLETO_EMIT", priority = 0,
            payload = new { amount = 89.5m, dueDate = "2027-02-01", payer = new { name = "Bruno Lima", document = "12.345.678/0001-90" } },
        })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(("task_type_not_available", "boleto.emit"), (problem.GetProperty("code").GetString(), problem.GetProperty("taskType").GetString()));
        Assert.Contains("not available", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await api.Arrange.CountTasksAsync(tenant));
    }

    [Fact]
    public async Task An_unknown_type_is_a_400_naming_the_known_ones_and_creates_nothing()
    {
        var tenant = await api.Arrange.AddTenantAsync("Asks for an unknown type");
        using var client = api.Client(tenant.ApiKey);

        var problem = await (await client.PostTaskAsync(TasksHttp.ValidBody(type: "fax.send"))).ReadProblemAsync(HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.GetProperty("errors").GetProperty("type").EnumerateArray()).GetString();
        Assert.Contains("fax.send", message);
        Assert.Contains("MESSAGE_SEND", message);
        Assert.Equal(0, await api.Arrange.CountTasksAsync(tenant));
    }

    public static TheoryData<string, string> InvalidPayloads => new()
    {
        { """{"type": "ai.generate", "priority": 0, "payload": {}}""", "payload.prompt" },
        { """{"type": "DOCUMENT_SUMMARY", "priority": 0, "payload": {"prompt": "  "}}""", "payload.prompt" },
        { """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p", "maxTokens": -5}}""", "payload.maxTokens" },
        { """{"type": "ai.generate", "priority": 0, "payload": {"prompt": "p", "assistantId": "abc"}}""", "payload.assistantId" },
        { """{"type": "MESSAGE_SEND", "priority": 0, "payload": {"messageId": 42}}""", "payload.messageId" },
        { """{"type": "message.send", "priority": 0, "payload": {"messageId": "5b1e3c0e-8d0b-4c39-9d43-6c1b1f0f2a11", "template": {"name": "x"}}}""", "payload.template" },
        { """{"type": "BOLETO_EMIT", "priority": 0, "payload": {"amount": 0, "dueDate": "2027-01-01", "payer": {"name": "A", "document": "1"}}}""", "payload.amount" },
        { """{"type": "BOLETO_EMIT", "priority": 0, "payload": {"amount": 10, "dueDate": "01/02/2027", "payer": {"name": "A", "document": "1"}}}""", "payload.dueDate" },
        { """{"type": "BOLETO_EMIT", "priority": 0, "payload": {"amount": 10, "dueDate": "2027-01-01"}}""", "payload.payer" },
    };

    [Theory]
    [MemberData(nameof(InvalidPayloads))]
    public async Task A_payload_the_processor_would_refuse_is_a_400_naming_the_field(string body, string field)
    {
        var tenant = await api.Arrange.AddTenantAsync("Sends bad payloads");
        using var client = api.Client(tenant.ApiKey);

        var problem = await (await client.PostTaskRawAsync(body)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0, await api.Arrange.CountTasksAsync(tenant));
    }
}
