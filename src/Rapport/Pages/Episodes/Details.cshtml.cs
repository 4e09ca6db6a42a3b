using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Outcomes;
using Rapport.Referrals;

namespace Rapport.Pages.Episodes;

/// <summary>An episode of care with its outcome forms: each instrument's scores over time and whether MCID was reached.</summary>
public sealed class DetailsModel(ReferralService referrals, AssessmentService assessments) : PageModel
{
    public ReferralSummary Episode { get; private set; } = null!;
    public IReadOnlyList<InstrumentTrack> Tracks { get; private set; } = [];
    /// <summary>The instrument "New assessment" starts on (see <see cref="InstrumentChoice"/>).</summary>
    public string? DefaultInstrument { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await referrals.GetAsync(id, cancellationToken) is not { } episode)
        {
            return NotFound();
        }
        Episode = episode;
        Tracks = await assessments.TracksAsync(id, cancellationToken);
        DefaultInstrument = InstrumentChoice.For(Tracks.SelectMany(t => t.Forms), episode.BodyRegion, episode.Procedure);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, int assessmentId, CancellationToken cancellationToken)
    {
        await assessments.DeleteAsync(id, assessmentId, cancellationToken);
        TempData["Notice"] = "Assessment deleted.";
        return Redirect($"/Episodes/{id}");
    }
}
