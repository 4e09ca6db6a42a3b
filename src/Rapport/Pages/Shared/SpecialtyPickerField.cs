namespace Rapport.Pages.Shared;

/// <summary>
/// A specialty select that the picker script turns into a search box (see wwwroot/js/specialty-picker.js).
/// <paramref name="Categories"/> picks a category (filters) instead of a NUCC code (the source form).
/// </summary>
public sealed record SpecialtyPickerField(string Id, string Name, string? Value, bool Categories = false, string EmptyText = "— not set —")
{
    public string SearchUrl => "/Sources?handler=Specialties" + (Categories ? "&categories=true" : "");
}
