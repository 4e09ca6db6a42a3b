using Rapport.Common;
using Rapport.Patients;

namespace Rapport.Referrals;

/// <summary>
/// How a referral reached the practice, asked at intake as a fixed two-level choice with no free text, so the
/// dashboard's chart by channel counts like with like: a physician referral names its source; direct access
/// (no referring physician) says how the patient heard about the practice.
/// </summary>
public static class ReferralChannels
{
    /// <summary>The second level under direct access, in the order the intake form offers them.</summary>
    public static readonly IReadOnlyList<AcquisitionChannel> DirectAccess =
    [
        AcquisitionChannel.WebSearch, AcquisitionChannel.Website, AcquisitionChannel.FriendOrFamily, AcquisitionChannel.PastPatient,
        AcquisitionChannel.Event, AcquisitionChannel.SocialMedia, AcquisitionChannel.Employer, AcquisitionChannel.Insurer, AcquisitionChannel.Other,
    ];

    public static bool IsDirectAccess(AcquisitionChannel channel) => channel != AcquisitionChannel.Physician;

    /// <summary>The channel in the front desk's words.</summary>
    public static string Label(AcquisitionChannel? channel) => channel switch
    {
        null => "—",
        AcquisitionChannel.Physician => "Physician referral",
        // Older rows and other doors may say only "direct access", without how the patient heard.
        AcquisitionChannel.DirectAccess => "Direct access (how not recorded)",
        AcquisitionChannel.WebSearch => "Google/search",
        AcquisitionChannel.Website => "Website",
        AcquisitionChannel.FriendOrFamily => "Friend or family",
        AcquisitionChannel.PastPatient => "Past patient",
        AcquisitionChannel.Event => "Event",
        AcquisitionChannel.SocialMedia => "Social media",
        AcquisitionChannel.Employer => "Employer",
        AcquisitionChannel.Insurer => "Insurer",
        AcquisitionChannel.Other => "Other",
        _ => channel.ToString()!,
    };

    /// <summary>
    /// Every door: a physician referral needs its source, and a direct-access one has none. A referral written
    /// without a channel (older API clients, imports) gets it from the source, as before (see ReferralService.CopyOnto).
    /// </summary>
    public static void Check(AcquisitionChannel? channel, int? sourceId, Problems problems)
    {
        if (channel == AcquisitionChannel.Physician && sourceId is null)
        {
            problems.Add("sourceId", "A physician referral needs its referring source.");
        }
        else if (channel is { } direct && IsDirectAccess(direct) && Enum.IsDefined(direct) && sourceId is not null)
        {
            problems.Add("acquisitionChannel", $"\"{Label(direct)}\" is direct access, which has no referring source: choose Physician referral, or clear the source.");
        }
    }

    /// <summary>
    /// Front-desk intake also asks which way: the channel is required, and direct access says how the patient
    /// heard (Google/search, website, …) rather than the bare "direct access" that older doors store.
    /// </summary>
    public static void CheckIntake(ReferralInput input, Problems problems)
    {
        if (input.AcquisitionChannel is null)
        {
            problems.Add("acquisitionChannel", "Say how the referral came: a physician referral (and which source) or direct access (and how the patient heard about us).");
        }
        else if (input.AcquisitionChannel == AcquisitionChannel.DirectAccess)
        {
            problems.Add("acquisitionChannel", "Direct access: choose how the patient heard about us (" + string.Join(", ", DirectAccess.Select(c => Label(c))) + ").");
        }
    }

    /// <summary>
    /// Every door: only a direct-access referral names a campaign (the patient's answer at intake); a physician referral
    /// is credited to campaigns through its source's campaign touches (docs/campaigns.md), never by naming one.
    /// </summary>
    public static void CheckCampaign(ReferralInput input, Problems problems)
    {
        if (input.CampaignId is null && Formats.Clean(input.Campaign) is null) return;
        var physician = input.AcquisitionChannel == AcquisitionChannel.Physician || (input.AcquisitionChannel is null && input.SourceId is not null);
        if (physician)
        {
            problems.Add("campaignId", "Only a direct-access referral names the event or campaign the patient heard of us at; a physician referral "
                + "is credited to campaigns through its source's campaign touches. Clear the campaign, or choose direct access.");
        }
    }
}
