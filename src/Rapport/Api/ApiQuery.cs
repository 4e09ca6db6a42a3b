using Rapport.Common;

namespace Rapport.Api;

/// <summary>Reading query-string values that need a friendlier error than a bare 400.</summary>
public static class ApiQuery
{
    /// <summary>
    /// An enum by name, ignoring case; numbers are refused so clients cannot depend on member order.
    /// An unknown name is a validation error on <paramref name="field"/> that lists the accepted names.
    /// </summary>
    public static T? Enum<T>(string? value, string field) where T : struct, System.Enum
    {
        if (Formats.Clean(value) is not { } text)
        {
            return null;
        }
        var name = System.Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return name is null
            ? throw new ValidationException(field, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.")
            : System.Enum.Parse<T>(name);
    }
}
