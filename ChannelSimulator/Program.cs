using SaasAssistants.ChannelSimulator;

var app = SimulatorApp.Build(args);
app.Run();
