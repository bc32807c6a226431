using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// The rules of POST /api/v1/tasks. The type is ours or a seed's alias (<see cref="TaskTypeCatalog"/>), and the payload
/// must satisfy that type's rules. Plain code rather than FluentValidation: a dozen rules, and the same pass parses
/// the enum names into the <see cref="NewTask"/> that is hashed and stored. Errors are keyed by the body's (camelCase)
/// field names, and the header's name for the idempotency key.
/// </summary>
internal static partial class CreateTaskValidator
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxTypeLength = 100;
    public const int MinPriority = -100;
    public const int MaxPriority = 100;
    public const int MaxPayloadBytes = 256 * 1024;
    public const int MaxAttemptsLimit = 20;
    public const int MaxIdempotencyKeyLength = 255;

    [GeneratedRegex("^[a-z0-9]+(\\.[a-z0-9_-]+)*$")]
    private static partial Regex TypePattern();

    // Visible ASCII only: keys end up in logs and support tickets, where invisible or look-alike characters mislead.
    [GeneratedRegex("^[\\x21-\\x7E]+$")]
    private static partial Regex IdempotencyKeyPattern();

    public static Dictionary<string, string[]>? Validate(CreateTaskRequest request, string? idempotencyKey, DateTimeOffset now, out NewTask task)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];

        if (idempotencyKey is not null && (idempotencyKey.Length > MaxIdempotencyKeyLength || !IdempotencyKeyPattern().IsMatch(idempotencyKey)))
        {
            Fail(IdempotencyKeyHeader, $"{IdempotencyKeyHeader} must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters.");
        }

        string? type = null;
        if (string.IsNullOrEmpty(request.Type))
        {
            Fail("type", "type is required.");
        }
        else if (TaskTypeCatalog.TryResolve(request.Type, out var resolved))
        {
            type = resolved;
        }
        else if (request.Type.Length > MaxTypeLength || !TypePattern().IsMatch(request.Type))
        {
            Fail("type", $"type must be lower-case words of a-z and 0-9 separated by dots (e.g. ai.generate), at most {MaxTypeLength} characters.");
        }
        else
        {
            Fail("type", $"Unknown task type {request.Type}; one of: {string.Join(", ", TaskTypeCatalog.Names)}.");
        }

        if (request.Priority is null)
        {
            Fail("priority", "priority is required.");
        }
        else if (request.Priority is < MinPriority or > MaxPriority)
        {
            Fail("priority", $"priority must be between {MinPriority} and {MaxPriority}.");
        }

        if (request.Payload is not { ValueKind: JsonValueKind.Object } payload)
        {
            Fail("payload", "payload is required and must be a JSON object.");
        }
        else if (Encoding.UTF8.GetByteCount(payload.GetRawText()) > MaxPayloadBytes)
        {
            Fail("payload", $"payload must be at most {MaxPayloadBytes / 1024} KB.");
        }
        else if (type is not null)
        {
            foreach (var (field, message) in TaskTypeCatalog.ValidatePayload(type, payload))
            {
                Fail(field, message);
            }
        }

        if (request.ScheduledAt > now.AddYears(1))
        {
            Fail("scheduledAt", "scheduledAt must be at most one year ahead.");
        }

        if (request.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            Fail("maxAttempts", $"maxAttempts must be between 1 and {MaxAttemptsLimit}.");
        }

        var domainType = ParseOptional<DomainType>(request.DomainType, "domainType", Fail);
        var capabilityType = ParseOptional<CapabilityType>(request.CapabilityType, "capabilityType", Fail);
        var executionType = ParseOptional<ExecutionType>(request.ExecutionType, "executionType", Fail);

        task = new NewTask(
            type ?? request.Type ?? "", request.Priority ?? 0, request.Payload ?? default, ScheduledAtUtc(request.ScheduledAt),
            request.MaxAttempts ?? TaskItem.DefaultMaxAttempts, domainType, capabilityType, executionType);
        return errors.Count == 0 ? null : errors;
    }

    private static DateTimeOffset? ScheduledAtUtc(DateTimeOffset? value)
        => value is { } at ? PostgresClock.ToPostgresPrecision(at.ToUniversalTime()) : null;

    private static TEnum? ParseOptional<TEnum>(string? value, string field, Action<string, string> fail) where TEnum : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        if (EnumNames.TryParse<TEnum>(value, out var parsed))
        {
            return parsed;
        }

        fail(field, EnumNames.Error<TEnum>(field));
        return null;
    }
}
