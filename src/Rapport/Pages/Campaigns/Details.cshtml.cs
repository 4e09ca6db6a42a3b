using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;

namespace Rapport.Pages.Campaigns;

/// <summary>
/// A campaign's page: its facts, cost against budget, what it brought by the attribution rule, the comparison group,
/// the months and the timeline. Sources are named, patients never (the page holds no patient data).
/// </summary>
public sealed class DetailsModel(CampaignResultsService service) : PageModel
{
    /// <summary>Timeline days shown before "show all": the page should read at a glance.</summary>
    public const int ShortTimeline = 25;

    public CampaignResults Results { get; private set; } = null!;

    /// <summary>The timeline by day and kind: the fair's forty touches are one line naming the forty sources.</summary>
    public IReadOnlyList<TimelineDay> TimelineDays { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public bool All { get; set; }

    public IEnumerable<TimelineDay> Shown(IReadOnlyList<TimelineDay> days) => All ? days : days.Take(ShortTimeline);

    public bool HasMore => !All && TimelineDays.Count > ShortTimeline;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            Results = await service.ResultsAsync(id, cancellationToken);
            TimelineDays = [.. Results.Timeline.GroupBy(e => (e.On, e.Kind, e.What))
                .Select(g => new TimelineDay(g.Key.On, g.Key.Kind, g.Count() == 1 ? g.Key.What : $"{g.Key.What} ×{g.Count()}", [.. g],
                    g.Any(e => e.Cost is not null) ? g.Sum(e => e.Cost ?? 0m) : null))];
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        return Page();
    }
}

public sealed record TimelineDay(DateOnly On, string Kind, string What, IReadOnlyList<CampaignTimelineEntry> Entries, decimal? Cost);
