using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Liaison;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Sources;
using Rapport.Users;

namespace Rapport.Pages.Sources;

/// <summary>The source list. Every filter is a query-string value, so a filtered, sorted view can be bookmarked or shared.</summary>
public sealed class IndexModel(SourceQueries sources, UserDirectory users, OrganizationService organizations, LiaisonWeekService preferences) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public SourceStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Specialty { get; set; }
    [BindProperty(SupportsGet = true)] public string? Owner { get; set; }
    [BindProperty(SupportsGet = true)] public int? Clinic { get; set; }
    [BindProperty(SupportsGet = true)] public bool Archived { get; set; }
    [BindProperty(SupportsGet = true)] public SourceSort Sort { get; set; } = SourceSort.Name;
    [BindProperty(SupportsGet = true)] public bool Desc { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public Paged<SourceSummary> Result { get; private set; } = new([], 0, 1, 50);
    public List<UserSummary> Owners { get; private set; } = [];
    public List<ClinicSummary> Clinics { get; private set; } = [];
    /// <summary>The optional columns this user shows (<see cref="SourceColumns"/>), remembered per user.</summary>
    public IReadOnlyList<string> Columns { get; private set; } = SourceColumns.Default;

    public bool Shows(string column) => Columns.Contains(column);

    /// <summary>The row's cells: the name and the shown columns.</summary>
    public int ColumnCount => 1 + Columns.Count;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Result = await sources.ListAsync(new SourceListQuery
        {
            Search = Q, Status = Status, Specialty = Specialty, OwnerUserId = Owner, ClinicId = Clinic, IncludeArchived = Archived,
            Sort = Sort, Descending = Desc, Page = PageNumber,
        }, cancellationToken);
        Owners = await users.ListAsync(cancellationToken);
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        Columns = await preferences.SourceColumnsAsync(User.FindFirstValue(ClaimTypes.NameIdentifier), cancellationToken);
    }

    /// <summary>
    /// The column chooser: remembers the ticked columns for the signed-in user (reset = every
    /// column) and comes back to the same filtered, sorted view.
    /// </summary>
    public async Task<IActionResult> OnPostColumnsAsync(string[]? columns, bool reset, string? returnUrl, CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return Forbid();
        }
        await preferences.SaveSourceColumnsAsync(userId, reset ? SourceColumns.Default : columns ?? [], cancellationToken);
        return Redirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/Sources", StringComparison.OrdinalIgnoreCase) ? returnUrl : "/Sources");
    }

    /// <summary>This view's address, to come back to after choosing columns.</summary>
    public string CurrentUrl => Link(Sort, Desc, PageNumber);

    /// <summary>The trend class of a source's referral counts (an arrow after the 12-month count).</summary>
    public static string TrendClass(SourceSummary s) => ReferralTrends.Of(s.Referrals90d, s.Referrals12m) switch
    {
        ReferralTrend.Up => "trend-up",
        ReferralTrend.Down => "trend-down",
        _ => "",
    };

    /// <summary>Suggestions for the source fields of the quick forms (see wwwroot/js/lookup.js).</summary>
    public async Task<IActionResult> OnGetLookupAsync(string? term, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            return new JsonResult(Array.Empty<object>());
        }
        var matches = await sources.ListAsync(new SourceListQuery { Search = term, PageSize = 10 }, cancellationToken);
        return new JsonResult(matches.Items.Select(s => new { id = s.Id, label = Pickers.SourceLabel(s) }));
    }

    /// <summary>
    /// Matches for the specialty picker (wwwroot/js/specialty-picker.js), by the one rule in
    /// <see cref="SpecialtySearch"/>: specialties ("Orthopaedic Surgery · 207X00000X") for the source
    /// form, or the categories holding them for the list's filter.
    /// </summary>
    public IActionResult OnGetSpecialties(string? term, bool categories = false) =>
        new JsonResult(categories
            ? SpecialtySearch.FindCategories(term, 30).Select(c => new
            {
                value = c.Category,
                label = c.MatchedName is null || c.Category.StartsWith(c.MatchedName, StringComparison.OrdinalIgnoreCase) ? c.Category : $"{c.Category} ({c.MatchedName})",
            })
            : SpecialtySearch.Find(term, 30).Select(s => new { value = s.TaxonomyCode, label = s.Label }));

    /// <summary>
    /// The NPI lookup behind the source form's autofill (wwwroot/js/npi-autofill.js): the registry's
    /// status and the fields a source with this NPI is filled with; the same rule fills blanks on save.
    /// </summary>
    public async Task<IActionResult> OnGetRegistryAsync(string? npi, [FromServices] Registry.RegistryLookup registry, CancellationToken cancellationToken)
    {
        if (Formats.Clean(npi) is not { } text || !Formats.IsValidNpi(text))
        {
            return new JsonResult(new { status = "Invalid", message = $"'{npi}' is not a valid NPI (ten digits with a check digit)." }) { StatusCode = StatusCodes.Status400BadRequest };
        }
        var result = await registry.FindAsync(text, cancellationToken);
        return new JsonResult(new
        {
            status = result.Status.ToString(), message = result.Message, warning = result.IsWarning, fields = result.Fields,
            specialtyLabel = result.Fields is { TaxonomyCode: { } code } f ? $"{f.SpecialtyName} · {code}" : null,
        });
    }

    /// <summary>Clicking the sorted column flips its direction; clicking another sorts ascending.</summary>
    public string SortUrl(SourceSort column) => Link(column, column == Sort && !Desc, 1);

    public string PageUrl(int page) => Link(Sort, Desc, page);

    private string Link(SourceSort sort, bool descending, int page) =>
        Url.Page("/Sources/Index", new
        {
            q = Q, status = Status, specialty = Specialty, owner = Owner, clinic = Clinic,
            archived = Archived ? true : (bool?)null, sort, desc = descending ? true : (bool?)null, page = page > 1 ? page : (int?)null,
        })!;

    public string AriaSort(SourceSort column) => column != Sort ? "none" : Desc ? "descending" : "ascending";

    public string SortClass(SourceSort column) => column != Sort ? "" : Desc ? "sorted desc" : "sorted";
}
