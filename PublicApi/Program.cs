using SaasAssistants.PublicApi.Assistants;
using SaasAssistants.PublicApi.OAuth;
using SaasAssistants.PublicApi.Tasks;
using SaasAssistants.PublicApi.Tenants;

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

app.Run();

public partial class Program;
