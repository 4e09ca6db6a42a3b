using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;

namespace Rapport.Pages;

public sealed class IndexModel(SourceQueries sources, PatientService patients, ReferralService referrals, TimeProvider time) : PageModel
{
    public int SourceCount { get; private set; }
    public int ActivePatients { get; private set; }
    public int Referrals30d { get; private set; }
    public int Referrals90d { get; private set; }
    public IReadOnlyList<SourceSummary> NeedingTouch { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var today = time.Today();
        SourceCount = (await sources.ListAsync(new SourceListQuery { PageSize = 1 }, cancellationToken)).Total;
        ActivePatients = (await patients.ListAsync(new PatientListQuery { ActiveOnly = true, PageSize = 1 }, cancellationToken)).Total;
        Referrals30d = (await referrals.ListAsync(new ReferralListQuery { ReceivedFrom = today.AddDays(-29), PageSize = 1 }, cancellationToken)).Total;
        Referrals90d = (await referrals.ListAsync(new ReferralListQuery { ReceivedFrom = today.AddDays(-89), PageSize = 1 }, cancellationToken)).Total;
        // Longest without a touch first; never-touched sources lead.
        NeedingTouch = (await sources.ListAsync(new SourceListQuery
        {
            Status = SourceStatus.Active, Sort = SourceSort.DaysSinceTouch, Descending = true, PageSize = 10,
        }, cancellationToken)).Items;
    }
}
