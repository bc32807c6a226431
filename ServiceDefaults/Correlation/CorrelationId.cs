using System.Buffers;
using System.Diagnostics;

namespace SaasAssistants.ServiceDefaults.Correlation;

/// <summary>What a correlation id may look like, and how a new one is made.</summary>
public static class CorrelationId
{
    public const int MaxLength = 64;

    // Ids end up in headers, log lines and file names of support tickets: keep them to a harmless alphabet.
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The current trace id when there is one, so logs and traces share one key; otherwise a fresh Guid.</summary>
    public static string New()
    {
        var activity = Activity.Current;
        return activity is not null && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : Guid.NewGuid().ToString("N");
    }

    /// <summary>The incoming value when it is sane, otherwise a new id: a caller cannot inject junk into our logs.</summary>
    public static string AcceptOrCreate(string? incoming) => IsValid(incoming) ? incoming! : New();
}
