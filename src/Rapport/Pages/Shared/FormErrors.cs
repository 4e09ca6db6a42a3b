using Microsoft.AspNetCore.Mvc.ModelBinding;
using Rapport.Common;

namespace Rapport.Pages.Shared;

public static class FormErrors
{
    /// <summary>
    /// Puts a service's field problems (camelCase keys) next to the matching form fields
    /// ("npi" → "Input.Npi"); <paramref name="renames"/> covers fields the form names differently.
    /// </summary>
    public static void AddErrors(this ModelStateDictionary modelState, ValidationException exception, string prefix = "Input",
        IReadOnlyDictionary<string, string>? renames = null)
    {
        foreach (var (field, messages) in exception.Errors)
        {
            var key = renames is not null && renames.TryGetValue(field, out var renamed) ? renamed
                : prefix.Length == 0 ? Pascal(field) : $"{prefix}.{Pascal(field)}";
            foreach (var message in messages)
            {
                modelState.AddModelError(key, message);
            }
        }
    }

    private static string Pascal(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
}
