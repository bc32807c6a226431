namespace SaasAssistants.Testing.Processes;

/// <summary>A pid plus its start time, so a recycled pid is never mistaken for the process we started.</summary>
internal readonly record struct ProcessIdentity(int Pid, ulong StartTime);
