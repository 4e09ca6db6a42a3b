using Rapport.Tests.Infrastructure;
using System.Globalization;
using System.Text.Json;
using Rapport.Tests.Api;
using UglyToad.PdfPig;

namespace Rapport.Tests.Letters;

/// <summary>Builds episodes through the API the way an EMR integration would, and reads letters back.</summary>
internal static class LetterTestKit
{
    public static DateOnly Today => TestClock.Today;

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<int> CreateSourceAsync(HttpClient api, string lastName, string? email, string? fax = "(951) 555-0199") =>
        (await api.PostCreatedAsync("/api/v1/sources", new
        {
            npi = ApiTestKit.NextNpi(), firstName = "Lisa", lastName, credential = "MD", specialty = "Orthopaedic surgery", email, fax,
            practiceName = "Plainsboro Orthopaedics", addressLine = "1 Hospital Way", city = "Riverside", state = "CA", zip = "92501",
        })).GetProperty("id").GetInt32();

    public static async Task<int> CreatePatientAsync(HttpClient api, string externalId, string firstName, string lastName, string birthDate) =>
        (await api.PostCreatedAsync("/api/v1/patients", new { externalId, firstName, lastName, birthDate, sex = "F" })).GetProperty("id").GetInt32();

    /// <summary>A referral from the source with the given timeline, LEFS forms at intake (20), mid-way (40) and discharge (60) when discharged.</summary>
    public static async Task<int> CreateEpisodeAsync(HttpClient api, int clinicId, int? sourceId, int patientId, DateOnly evaluatedOn, DateOnly? dischargedOn,
        int visits, bool withForms = true)
    {
        var referral = (await api.PostCreatedAsync("/api/v1/referrals", new
        {
            patientId, sourceId, clinicId, therapist = "Elena Park", receivedOn = Iso(evaluatedOn.AddDays(-3)), scheduledOn = Iso(evaluatedOn.AddDays(-2)),
            evaluatedOn = Iso(evaluatedOn), dischargedOn = dischargedOn is { } d ? Iso(d) : null, visitCount = visits, bodyRegion = "Knee",
            diagnosisCodes = "M17.11",
        })).GetProperty("id").GetInt32();
        if (withForms)
        {
            await api.PostCreatedAsync($"/api/v1/referrals/{referral}/assessments",
                new { instrument = "lefs", timepoint = "Intake", assessedOn = Iso(evaluatedOn), answers = Repeat(1), visitNumber = 1 });
            var end = dischargedOn ?? Today;
            var middle = evaluatedOn.AddDays((end.DayNumber - evaluatedOn.DayNumber) / 2);
            if (middle > evaluatedOn)
            {
                await api.PostCreatedAsync($"/api/v1/referrals/{referral}/assessments",
                    new { instrument = "lefs", timepoint = "Interim", assessedOn = Iso(middle), answers = Repeat(2) });
            }
            if (dischargedOn is { } discharged)
            {
                await api.PostCreatedAsync($"/api/v1/referrals/{referral}/assessments",
                    new { instrument = "lefs", timepoint = "Discharge", assessedOn = Iso(discharged), answers = Repeat(3), visitNumber = visits });
            }
        }
        return referral;
    }

    private static string Repeat(int answer) => string.Join(",", Enumerable.Repeat(answer, 20));

    /// <summary>The text of every page, words joined by single spaces.</summary>
    public static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    public static int PdfPages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.NumberOfPages;
    }

    /// <summary>The episode's letters once <paramref name="kind"/> reaches <paramref name="state"/> (the outbox works in the background).</summary>
    public static async Task<JsonElement> WaitForLetterAsync(HttpClient api, int referralId, string kind, string state)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var letters = await api.GetOkAsync($"/api/v1/referrals/{referralId}/letters");
            if (Kind(letters, kind).GetProperty("state").GetString() == state || waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Equal(state, Kind(letters, kind).GetProperty("state").GetString());
                return letters;
            }
            await Task.Delay(100);
        }
    }

    public static JsonElement Kind(JsonElement episodeLetters, string kind) =>
        episodeLetters.GetProperty("letters").EnumerateArray().Single(l => string.Equals(l.GetProperty("kind").GetString(), kind, StringComparison.OrdinalIgnoreCase));
}
