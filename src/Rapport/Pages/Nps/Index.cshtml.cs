using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Nps;
using Rapport.Organizations;

namespace Rapport.Pages.Nps;

public sealed class IndexModel(NpsResults results, OrganizationService organizations) : PageModel
{
    [BindProperty(SupportsGet = true)] public NpsGrouping By { get; set; } = NpsGrouping.Clinic;
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public int? ClinicId { get; set; }
    [BindProperty(SupportsGet = true)] public NpsCategory? Category { get; set; }
    [BindProperty(SupportsGet = true)] public bool SharedOnly { get; set; }

    /// <summary>Comments shown before "show more": the page should read at a glance.</summary>
    public const int ShortCommentList = 30;

    /// <summary>Set by <c>?allComments=true</c>: up to 500 comments.</summary>
    [BindProperty(SupportsGet = true)] public bool AllComments { get; set; }

    public NpsResult Summary { get; private set; } = NpsResult.From(null, NpsScore.Empty);
    public List<NpsResult> Groups { get; private set; } = [];
    public List<NpsComment> Comments { get; private set; } = [];
    public List<ClinicSummary> Clinics { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var filter = new NpsFilter { From = From, To = To, ClinicId = ClinicId };
        Summary = await results.SummaryAsync(filter, cancellationToken);
        Groups = await results.ByAsync(By, filter, cancellationToken);
        Comments = await results.CommentsAsync(new NpsCommentQuery { From = From, To = To, ClinicId = ClinicId, Category = Category, SharedOnly = SharedOnly, Limit = AllComments ? 500 : ShortCommentList + 1 },
            cancellationToken);
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
    }
}
