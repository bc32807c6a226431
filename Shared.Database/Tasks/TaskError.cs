namespace SaasAssistants.Database.Tasks;

/// <summary>Why an attempt failed: a stable, machine-readable code (see <see cref="TaskErrorCodes"/>) and a human-readable detail.</summary>
public sealed record TaskError(string Code, string? Detail = null)
{
    /// <summary>Enough to diagnose; a provider's whole error page would only bloat the row.</summary>
    public const int MaxDetailLength = 2000;

    public string Code { get; } = string.IsNullOrWhiteSpace(Code)
        ? throw new ArgumentException("An error code is required.", nameof(Code))
        : Code;

    public string? Detail { get; } = Detail is { Length: > MaxDetailLength } ? Detail[..MaxDetailLength] : Detail;

    public override string ToString() => Detail is null ? Code : $"{Code}: {Detail}";
}
