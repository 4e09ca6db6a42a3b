namespace Rapport.Pages.Shared;

/// <summary>What the lookup partial needs: the names of the text and hidden id fields and their values.</summary>
public sealed record SourceLookupField(string Label, string TextName, string? Text, string IdName, int? Id, string LookupUrl = "/Sources?handler=Lookup",
    string Placeholder = "Type a name, practice or NPI");
