using SaasAssistants.MessageProcessor.DeadLetters;
using SaasAssistants.MessageProcessor.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// `MessageProcessor --replay-dead-letters [queue]`: put a queue's dead letters back, then exit.
if (args.Contains(DeadLetterCommand.Switch))
{
    return await DeadLetterCommand.RunAsync(app, args);
}

app.MapDefaultEndpoints();
app.MapDeadLetterEndpoints();

app.Run();
return 0;
