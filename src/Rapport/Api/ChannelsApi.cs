using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Channels;

namespace Rapport.Api;

/// <summary>The acquisition-channel report (the /Channels page's figures).</summary>
public static class ChannelsApi
{
    public static void Map(RouteGroupBuilder channels)
    {
        channels.MapGet("/", async Task<Ok<ChannelReport>> (int? clinicId, int? months, ChannelReportService service, CancellationToken ct) =>
                TypedResults.Ok(await service.BuildAsync(new ChannelReportQuery { ClinicId = clinicId, Months = months ?? 12 }, ct)))
            .WithSummary("Referrals per month by acquisition channel (physician, direct access and its sub-channels), the direct-access trend, "
                + "the mix per clinic, and direct-access payer mix, conversion and campaigns named at intake")
            .WithDescription("clinicId: one clinic (default all); months: 12 (default) or 24, ending with the practice's current month, which is partial "
                + "(months[].partial, through = today). channels[] follow the two-level list: channel is Physician, WebSearch, Website, FriendOrFamily, "
                + "PastPatient, Event, SocialMedia, Employer, Insurer, Other, DirectAccess (direct access, how not recorded) or NotRecorded; referrals and "
                + "shares (fractions of the month's referrals) follow months. trend compares this quarter so far with the same days of the previous quarter "
                + "and of the same quarter last year. directAccess.conversion = evaluated ÷ (evaluated + lost before evaluation), open referrals apart, "
                + "with Wilson's 95% interval (low, high). CSV/XLSX: GET /api/v1/exports/channels?clinic=&months=&format=csv|xlsx.")
            .ProducesValidationProblem();
    }
}
