using SaasAssistants.PublicApi.Conversations;
using SaasAssistants.PublicApi.Knowledge;
using SaasAssistants.PublicApi.Tasks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApiDocumentation();
app.MapConversationsApiV1();
app.MapTasksApiV1();
app.MapKnowledgeBasesApiV1();

app.Run();

public partial class Program;
