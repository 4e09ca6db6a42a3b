using Rapport.Touchpoints;

namespace Rapport.Sources;

/// <summary>
/// One source with the numbers the source text asks a practice to track. Windows end today and
/// include it: "last 90 days" is received after today − 90 days; "12 months" after today − 12 months.
/// Active patients are distinct patients with a referral from this source that is evaluated and
/// not yet discharged.
/// </summary>
public sealed record SourceSummary(
    int Id,
    string? Npi,
    string Name,
    string? Specialty,
    SourceStatus Status,
    string? PracticeName,
    int? ClinicId,
    string? OwnerUserId,
    int ActivePatients,
    int Referrals90d,
    int Referrals12m,
    DateOnly? LastTouchAt,
    TouchMethod? LastTouchMethod,
    int? DaysSinceTouch,
    int ReferBacks12m,
    DateOnly? LastReferBackAt,
    bool Archived);

public enum SourceSort
{
    Name,
    Specialty,
    Status,
    ActivePatients,
    Referrals90d,
    Referrals12m,
    LastTouchAt,
    DaysSinceTouch,
    ReferBacks12m,
    LastReferBackAt,
}

public sealed record SourceListQuery
{
    /// <summary>Matches name, NPI or practice, ignoring case.</summary>
    public string? Search { get; init; }
    public SourceStatus? Status { get; init; }
    public string? Specialty { get; init; }
    public string? OwnerUserId { get; init; }
    public int? ClinicId { get; init; }
    public bool IncludeArchived { get; init; }
    public SourceSort Sort { get; init; } = SourceSort.Name;
    public bool Descending { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
    /// <summary>The list is written out as a file ("csv", "json"): <see cref="SourceQueries.AllAsync"/> records the export.</summary>
    public string? ExportFormat { get; init; }
}

/// <summary>Referrals received in one month; the month holding today is <see cref="Common.MonthPeriod.Partial"/> (to date).</summary>
public sealed record MonthCount(Common.MonthPeriod Period, int Count)
{
    public int Year => Period.Month.Year;
    public int Month => Period.Month.Month;
    public bool Partial => Period.Partial;
    /// <summary>"Dec 2026", or "Dec 2026 (to 2nd)" for the month so far.</summary>
    public string Label => Period.Label;
}

public sealed record TouchLogEntry(int Id, DateOnly OccurredOn, TouchMethod Method, string? Purpose, string? Notes, string? By, int? CampaignId, string? Campaign, DateOnly? FollowUpOn);

public sealed record ReferBackEntry(int Id, DateOnly SentOn, int? PatientId, string? PatientName, string? Reason, string? Notes);

public sealed record SourcePatientEntry(int PatientId, string PatientName, int ReferralId, DateOnly ReceivedOn, Referrals.ReferralStatus Status, string? Clinic, bool Active);

/// <summary>Everything the source page shows.</summary>
public sealed record SourceDetails(
    ReferralSource Profile,
    SourceSummary Metrics,
    IReadOnlyList<MonthCount> MonthlyReferrals,
    IReadOnlyList<TouchLogEntry> Touches,
    IReadOnlyList<ReferBackEntry> ReferBacks,
    IReadOnlyList<SourcePatientEntry> Patients,
    string? OwnerName,
    string? ClinicName);
