using Rapport.Tenancy;

namespace Rapport.Campaigns;

/// <summary>
/// What kind of networking or outreach a campaign is: the source text's list (health fairs, booths, fundraisers,
/// exhibiting at a physicians' conference, writing for the blogs and newsletters physicians read, referring a
/// patient first) plus the everyday ones. A fixed list, so results compare like with like across campaigns.
/// </summary>
public enum CampaignKind
{
    HealthFair, Booth, ConferenceExhibit, EducationalEvent, Fundraiser, LunchAndLearn, BlogOrPublication,
    Newsletter, SocialMedia, DirectMail, ReferralFirstOutreach, Other,
}

/// <summary>
/// A networking or outreach effort the practice spends on and wants measured: its touches (<see cref="Touchpoints.Touchpoint.CampaignId"/>)
/// and the direct-access referrals whose channel names it (<see cref="Referrals.Referral.CampaignId"/>) are what it brought
/// (attribution: docs/campaigns.md).
/// </summary>
public sealed class Campaign : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>Unique in the practice (case-insensitively): touch imports and the intake form name a campaign by it.</summary>
    public required string Name { get; set; }
    public CampaignKind Kind { get; set; }
    public DateOnly StartsOn { get; set; }
    /// <summary>The last day; null for an ongoing campaign (a newsletter, an outreach still under way).</summary>
    public DateOnly? EndsOn { get; set; }
    public string? OwnerUserId { get; set; }
    /// <summary>What the practice planned to spend, in US dollars; the actual cost is the line items plus the campaign's touch costs.</summary>
    public decimal? Budget { get; set; }
    /// <summary>
    /// The specialties the campaign aims at, comma-separated, in the words of the sources' <see cref="Sources.ReferralSource.Specialty"/>
    /// (e.g. "Orthopedic Surgery, Sports Medicine"): they also choose the comparison group.
    /// </summary>
    public string? TargetSpecialties { get; set; }
    [Common.MultiLineText]
    public string? Notes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ArchivedAt { get; set; }

    public List<CampaignClinic> Clinics { get; set; } = [];
    public List<CampaignCost> Costs { get; set; } = [];
    public List<CampaignTarget> Targets { get; set; } = [];
}

/// <summary>A clinic the campaign runs for; none means the whole practice.</summary>
public sealed class CampaignClinic : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int CampaignId { get; set; }
    public int ClinicId { get; set; }
    public Organizations.Clinic? Clinic { get; set; }
}

/// <summary>One line of what the campaign actually cost (booth fee, printing, catering), in US dollars.</summary>
public sealed class CampaignCost : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int CampaignId { get; set; }
    public required string Description { get; set; }
    public decimal Amount { get; set; }
    public DateOnly? IncurredOn { get; set; }
}

/// <summary>A source the campaign sets out to reach (for example added from the prospects list); reached once it has a touch in the campaign.</summary>
public sealed class CampaignTarget : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int CampaignId { get; set; }
    public int SourceId { get; set; }
    public Sources.ReferralSource? Source { get; set; }
}

/// <summary>The practice's campaign settings; absent means the defaults.</summary>
public sealed class CampaignSettings : IOrganizationOwned
{
    /// <summary>
    /// A referral counts for a campaign when its source was touched in the campaign at most this many days before
    /// it: about a quarter, long enough for a physician met at a fair to see a patient who needs therapy, short
    /// enough that a referral a year later is not credited to the fair.
    /// </summary>
    public const int DefaultAttributionWindowDays = 90;
    public const int MaxAttributionWindowDays = 730;

    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int AttributionWindowDays { get; set; } = DefaultAttributionWindowDays;
}

public static class CampaignKinds
{
    /// <summary>The kind in the practice's words.</summary>
    public static string Label(CampaignKind kind) => kind switch
    {
        CampaignKind.HealthFair => "Health fair",
        CampaignKind.Booth => "Booth",
        CampaignKind.ConferenceExhibit => "Conference exhibit",
        CampaignKind.EducationalEvent => "Educational event",
        CampaignKind.Fundraiser => "Fundraiser",
        CampaignKind.LunchAndLearn => "Lunch-and-learn",
        CampaignKind.BlogOrPublication => "Blog or publication",
        CampaignKind.Newsletter => "Newsletter",
        CampaignKind.SocialMedia => "Social media",
        CampaignKind.DirectMail => "Direct mail",
        CampaignKind.ReferralFirstOutreach => "Referral-first outreach",
        _ => "Other",
    };
}

public static class CampaignNames
{
    /// <summary>
    /// The campaign a form or API names, by id or by name (ignoring case; the id wins), for every door that takes one
    /// (touches, referrals): read through the tenant filter, so another practice's campaign reads as missing.
    /// </summary>
    public static async Task<int?> ResolveAsync(Data.RapportDbContext db, int? id, string? name, Common.Problems problems, CancellationToken cancellationToken)
    {
        if (id is { } campaignId)
        {
            if (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Campaigns, c => c.Id == campaignId, cancellationToken)) return campaignId;
            problems.Add("campaignId", $"Campaign {campaignId} does not exist.");
            return null;
        }
        if (Common.Formats.Clean(name) is not { } cleaned) return null;
        var campaigns = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Campaigns).Select(c => new { c.Id, c.Name }), cancellationToken);
        if (campaigns.FirstOrDefault(c => string.Equals(c.Name, cleaned, StringComparison.OrdinalIgnoreCase)) is { } match) return match.Id;
        problems.Add("campaign", Unknown(cleaned));
        return null;
    }

    /// <summary>The one message every door gives for a campaign name that is not the practice's (touch form, API, import).</summary>
    public static string Unknown(string name) =>
        $"No campaign is named \"{name}\" in this practice: add it under Campaigns first (names are matched ignoring case), or leave the campaign blank.";
}
