using Rapport.Letters;

namespace Rapport.Pages.Letters;

/// <summary>What the due-letters table shows and where its buttons come back to.</summary>
public sealed record DueLettersView(IReadOnlyList<DueLetter> Letters, string ReturnUrl, bool ShowSource);
