// The AppHost's servers, its state folder and the tests' port reservations are Linux-only (flock, Debian's packages).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
