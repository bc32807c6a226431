// The test servers are Linux processes (PostgreSQL, Redis, RabbitMQ started by tests/Testing).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
