using SaasAssistants.Gateway.Webhooks.Instagram;
using SaasAssistants.Gateway.Webhooks.Twilio;
using SaasAssistants.Gateway.Webhooks.Web;
using SaasAssistants.Gateway.Webhooks.WhatsApp;
using SaasAssistants.Gateway.Widget;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseCors();
app.UseStaticFiles();
app.MapWebWebhooks();
app.MapWhatsAppWebhooks();
app.MapInstagramWebhooks();
app.MapTwilioWebhooks();
app.MapWidget();

app.Run();

public partial class Program;
