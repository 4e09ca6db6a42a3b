using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Referrals;

/// <summary>The referral queue as a download: every row the page's filters select (all pages), with the fields of the API's JSON.</summary>
public sealed class ReferralQueueExport(ReferralQueue queue) : IListExport
{
    public string Kind => "referrals";

    public string? PatientEntityType => nameof(Referral);

    /// <summary>Headers as staff read them, like every other download (the JSON keeps its camelCase names).</summary>
    public static readonly IReadOnlyList<SheetColumn> Columns =
    [
        new("Id", ColumnKind.Count), new("External id"), new("Stage"), new("Status"), new("Received", ColumnKind.Date), new("Age (days)", ColumnKind.Count),
        new("Business days waiting", ColumnKind.Count), new("Overdue to schedule"), new("Patient id", ColumnKind.Count), new("Patient"), new("Patient phone"),
        new("Source id", ColumnKind.Count), new("Source"), new("Channel"), new("Clinic id", ColumnKind.Count), new("Clinic"), new("Payer category"),
        new("Scheduled", ColumnKind.Date), new("Evaluated", ColumnKind.Date), new("Discharged", ColumnKind.Date), new("Lost", ColumnKind.Date),
        new("Lost reason"), new("Visits", ColumnKind.Count), new("Therapist"), new("Diagnosis codes"), new("Body region"), new("Procedure"),
        new("Campaign"),
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
        r.DiagnosisCodes, r.BodyRegion, r.Procedure, r.Campaign,
    ]));
}
