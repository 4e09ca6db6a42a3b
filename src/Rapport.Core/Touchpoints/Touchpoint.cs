using Rapport.Tenancy;

namespace Rapport.Touchpoints;

public enum TouchMethod { Phone, Email, InPerson, Lunch, Event, Fax, Letter, Video, Text, Social, Report }

/// <summary>A contact the practice made with a referral source.</summary>
public sealed class Touchpoint : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public string? ExternalId { get; set; }
    public int SourceId { get; set; }
    public Sources.ReferralSource? Source { get; set; }
    public DateOnly OccurredOn { get; set; }
    public TouchMethod Method { get; set; }
    public string? Purpose { get; set; }
    [Common.MultiLineText]
    public string? Notes { get; set; }
    public string? ByUserId { get; set; }
    /// <summary>Who made the contact, as a name (imports rarely know our user ids).</summary>
    public string? ByName { get; set; }
    /// <summary>The campaign the touch was made in (the health fair where they met, the newsletter sent); null for everyday touches.</summary>
    public int? CampaignId { get; set; }
    public Campaigns.Campaign? Campaign { get; set; }
    public DateOnly? FollowUpOn { get; set; }
    /// <summary>What the touch cost in US dollars (the catered lunch, the gift basket): Stark limits non-monetary gifts to physicians.</summary>
    public decimal? Cost { get; set; }
    public DateTime CreatedAt { get; set; }
}
