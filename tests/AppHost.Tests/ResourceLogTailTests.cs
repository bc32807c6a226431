using SaasAssistants.AppHost.Diagnostics;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>What the console shows of a resource that stopped: its last lines, without the stack frames that would fill them.</summary>
public sealed class ResourceLogTailTests
{
    [Fact]
    public void Keeps_the_last_lines_and_leaves_out_stack_frames()
    {
        string[] log =
        [
            "2026-12-04T08:51:43.0000000Z Starting",
            "2026-12-04T08:51:43.0000000Z Now building the host",
            "2026-12-04T08:51:47.7730000Z Unhandled exception. System.IO.IOException: Failed to bind to address http://127.0.0.1:5100: address already in use.",
            "2026-12-04T08:51:47.7730000Z  ---> System.Net.Sockets.SocketException (98): Address already in use",
            "2026-12-04T08:51:47.7730000Z    at Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerImpl.BindAsync(CancellationToken cancellationToken)",
            "2026-12-04T08:51:47.7730000Z --- End of stack trace from previous location ---",
            "   at Program.<Main>$(String[] args) in /work/WebApp/Program.cs:line 48",
            "2026-12-04T08:51:47.7730000Z Customers at the door (3)",
        ];

        Assert.Equal(
        [
            "2026-12-04T08:51:47.7730000Z Unhandled exception. System.IO.IOException: Failed to bind to address http://127.0.0.1:5100: address already in use.",
            "2026-12-04T08:51:47.7730000Z  ---> System.Net.Sockets.SocketException (98): Address already in use",
            "2026-12-04T08:51:47.7730000Z Customers at the door (3)",
        ], ResourceLogTail.Last(log, lines: 3));
    }
}
