namespace SaasAssistants.WebApp.Channels;

/// <summary>The sites a widget may be embedded in, as browsers send them in Origin: scheme://host[:port], nothing more.</summary>
public static class AllowedOrigins
{
    public const int MaxCount = 50;

    /// <returns>The normalized origins, or null when one of them is not an http(s) origin.</returns>
    public static string[]? Parse(string? text)
    {
        var origins = new List<string>();
        foreach (var entry in (text ?? "").Split(['\n', '\r', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                return null;
            }

            var origin = uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
            if (!origins.Contains(origin))
            {
                origins.Add(origin);
            }
        }

        return origins.Count > MaxCount ? null : [.. origins];
    }
}
