using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Rapport.Common;
using Rapport.Nps;
using Rapport.Pages.Shared;

namespace Rapport.Pages.Survey;

/// <summary>The public one-question survey behind an e-mailed link. Shows the practice's name, nothing about the patient.</summary>
[EnableRateLimiting(SurveyWeb.RateLimitPolicy)]
public sealed class IndexModel(SurveyResponses surveys) : PageModel
{
    [BindProperty] public int? Score { get; set; }
    [BindProperty] public string? Comment { get; set; }
    [BindProperty] public bool ShareWithPhysician { get; set; }

    public SurveyState State { get; private set; }
    public string? PracticeName { get; private set; }
    public bool ThankYou { get; private set; }
    public string? ReviewUrl { get; private set; }

    public async Task OnGetAsync(string token, CancellationToken cancellationToken)
    {
        var page = await surveys.OpenAsync(token, cancellationToken);
        (State, PracticeName) = (page.State, page.PracticeName);
        NoIndex();
    }

    public async Task OnPostAsync(string token, CancellationToken cancellationToken)
    {
        NoIndex();
        try
        {
            var outcome = await surveys.AnswerAsync(token, new SurveyAnswer(Score, Comment, ShareWithPhysician), cancellationToken);
            (State, PracticeName, ThankYou, ReviewUrl) = (outcome.State, outcome.PracticeName, outcome.Accepted, outcome.ReviewUrl);
        }
        catch (ValidationException e)
        {
            State = SurveyState.Open;
            PracticeName = (await surveys.OpenAsync(token, cancellationToken)).PracticeName;
            ModelState.AddErrors(e, prefix: "");
        }
    }

    private void NoIndex()
    {
        Response.Headers["X-Robots-Tag"] = "noindex";
        Response.Headers.CacheControl = Rapport.Web.SecurityHeadersMiddleware.NoStore;
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
