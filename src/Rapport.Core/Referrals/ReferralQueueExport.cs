using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Referrals;

/// <summary>The referral queue as a download: every row the page's filters select (all pages), with the columns of the API's JSON.</summary>
public sealed class ReferralQueueExport(ReferralQueue queue) : IListExport
{
    public string Kind => "referrals";

    public string? PatientEntityType => nameof(Referral);

    public static readonly IReadOnlyList<SheetColumn> Columns =
    [
        new("id", ColumnKind.Count), new("externalId"), new("stage"), new("status"), new("receivedOn", ColumnKind.Date), new("ageDays", ColumnKind.Count),
        new("businessDaysWaiting", ColumnKind.Count), new("overdueToSchedule"), new("patientId", ColumnKind.Count), new("patient"), new("patientPhone"),
        new("sourceId", ColumnKind.Count), new("source"), new("channel"), new("clinicId", ColumnKind.Count), new("clinic"), new("payerCategory"),
        new("scheduledOn", ColumnKind.Date), new("evaluatedOn", ColumnKind.Date), new("dischargedOn", ColumnKind.Date), new("lostOn", ColumnKind.Date),
        new("lostReason"), new("visitCount", ColumnKind.Count), new("therapist"), new("diagnosisCodes"), new("bodyRegion"), new("procedure"),
    ];

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var rows = await queue.AllAsync(ReferralQueueQuery.FromFilters(filters), cancellationToken);
        return ToSheet(rows);
    }

    public static Sheet ToSheet(IEnumerable<ReferralQueueRow> rows) => new("Referrals", Columns, rows.Select(r => (IReadOnlyList<object?>)
    [
        r.Id, r.ExternalId, ReferralQueue.StageSlug(r.Stage), r.Status.ToString(), r.ReceivedOn, r.AgeDays, r.BusinessDaysWaiting, r.OverdueToSchedule,
        r.PatientId, r.PatientName, r.PatientPhone, r.SourceId, r.SourceName, r.AcquisitionChannel?.ToString(), r.ClinicId, r.ClinicName,
        r.PayerCategory?.ToString(), r.ScheduledOn, r.EvaluatedOn, r.DischargedOn, r.LostOn, r.LostReason, r.VisitCount, r.Therapist,
        r.DiagnosisCodes, r.BodyRegion, r.Procedure,
    ]));
}
