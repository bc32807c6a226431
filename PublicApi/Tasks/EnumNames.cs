namespace SaasAssistants.PublicApi.Tasks;

/// <summary>Enum values as the API takes them: a member's name in any case, nothing else.</summary>
internal static class EnumNames
{
    /// <summary>Enum.TryParse would also accept numbers and comma lists ("3", "Queued,Running"), which no client should send.</summary>
    public static bool TryParse<TEnum>(string value, out TEnum result) where TEnum : struct, Enum
    {
        foreach (var name in Enum.GetNames<TEnum>())
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                result = Enum.Parse<TEnum>(name);
                return true;
            }
        }
        result = default;
        return false;
    }

    public static string Error<TEnum>(string field) where TEnum : struct, Enum
        => $"{field} must be one of: {string.Join(", ", Enum.GetNames<TEnum>())}.";
}
