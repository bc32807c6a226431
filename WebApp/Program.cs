using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.ApiKeys;
using SaasAssistants.WebApp.Assistants;
using SaasAssistants.WebApp.Channels;
using SaasAssistants.WebApp.Components;
using SaasAssistants.WebApp.Contacts;
using SaasAssistants.WebApp.Conversations;
using SaasAssistants.WebApp.Extensions;
using SaasAssistants.WebApp.Notifications;
using SaasAssistants.WebApp.Knowledge;
using SaasAssistants.WebApp.Security;
using SaasAssistants.WebApp.Settings;
using SaasAssistants.WebApp.Tenancy;
using SaasAssistants.WebApp.Users;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseWebSecurity();
app.UseNotFoundPage();
app.UseRequestLocalization();
app.UseRateLimiter();
app.UseAuthentication();
app.UseTenantContext();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>();
app.MapHub<ConversationHub>(ConversationHub.Path);
app.MapConversationEndpoints();
app.MapConversationActionEndpoints();
app.MapAccountEndpoints();
app.MapNotificationEndpoints();
app.MapChannelEndpoints();
app.MapApiKeyEndpoints();
app.MapUserEndpoints();
app.MapAssistantEndpoints();
app.MapKnowledgeEndpoints();
app.MapContactEndpoints();
app.MapSettingsEndpoints();

app.Run();

public partial class Program;
