// The AppHost's servers are Linux processes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
