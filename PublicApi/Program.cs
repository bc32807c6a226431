using SaasAssistants.PublicApi.Assistants;
using SaasAssistants.PublicApi.Contacts;
using SaasAssistants.PublicApi.Knowledge;
using SaasAssistants.PublicApi.OAuth;
using SaasAssistants.PublicApi.Tasks;
using SaasAssistants.PublicApi.Tenants;
using SaasAssistants.PublicApi.Webhooks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseApiRateLimits();
app.MapApiDocumentation();
app.MapTokenEndpoint();
app.MapConversationsApi();
app.MapTasksApi();
app.MapTenantApi();
app.MapAssistantsApi();
app.MapWebhooksApi();
app.MapContactsApi();
app.MapKnowledgeBasesApi();

app.Run();

public partial class Program;
