using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;

namespace Rapport.Pages.Referrals;

/// <summary>
/// The intake's two-level channel question as the form posts it: <c>ChannelKind</c> (physician or direct) and,
/// for direct access, <c>DirectChannel</c>. The half not chosen is ignored, so a source left in a hidden field
/// never contradicts a direct-access answer.
/// </summary>
public sealed record ChannelChoice(string? Kind, AcquisitionChannel? Direct, Shared.SourceLookupField Source, bool KeepUnrecorded = false)
{
    /// <summary>The practice's campaigns to offer under direct access, and the one chosen (posted as <c>Input.CampaignId</c>).</summary>
    public IReadOnlyList<CampaignChoice> Campaigns { get; init; } = [];
    public int? CampaignId { get; init; }

    public const string Physician = "physician";
    public const string DirectAccess = "direct";

    /// <summary>The stored channel for the answer; null when neither was chosen (Core then asks).</summary>
    public static AcquisitionChannel? ChannelOf(string? kind, AcquisitionChannel? direct) => kind switch
    {
        Physician => AcquisitionChannel.Physician,
        // The bare "direct access" is refused at intake with a question naming the choices.
        DirectAccess => direct ?? AcquisitionChannel.DirectAccess,
        _ => null,
    };

    /// <summary>The form's answer for a stored referral: a source or the physician channel means physician.</summary>
    public static (string? Kind, AcquisitionChannel? Direct) Of(AcquisitionChannel? channel, int? sourceId) =>
        channel == AcquisitionChannel.Physician || (channel is null && sourceId is not null) ? (Physician, null)
        : channel is null ? (null, null)
        : (DirectAccess, channel);

    /// <summary>Where Core's channel problems go on this form.</summary>
    public static Dictionary<string, string> Renames(string? kind) => new(StringComparer.Ordinal)
    {
        ["sourceId"] = "SourceText",
        ["acquisitionChannel"] = kind == DirectAccess ? "DirectChannel" : "ChannelKind",
        ["campaignId"] = CampaignField,
        ["campaign"] = CampaignField,
    };

    public const string CampaignField = "Input.CampaignId";

    /// <summary>The campaign the form's answer names: only direct access names one (the hidden half is not part of the answer).</summary>
    public static int? CampaignOf(string? kind, int? campaignId) => kind == DirectAccess ? campaignId : null;

    public static IEnumerable<AcquisitionChannel> DirectOptions => ReferralChannels.DirectAccess;
}
