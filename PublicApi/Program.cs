using SaasAssistants.PublicApi.OAuth;
using SaasAssistants.PublicApi.Tasks;

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

app.Run();

public partial class Program;
