using Microsoft.Extensions.DependencyInjection;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Letters;

public sealed class LetterSignatureTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_letter_is_signed_by_the_episodes_therapist_with_credentials_else_by_the_user_sending(string database)
    {
        var (app, org, api) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var disposeApp = app;
        using var disposeApi = api;
        var ct = TestContext.Current.CancellationToken;
        var source = await CreateSourceAsync(api, "Kutner", "kutner@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-8", "Lena", "Marsh", "1948-07-01");
        // The test kit's episodes are treated by "Elena Park".
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-30), Today.AddDays(-1), visits: 9);

        // Elena Park is not a user yet: the API (no user) signs with the therapist's name as the referral gives it.
        var unsigned = PdfText(await api.GetByteArrayAsync($"/api/v1/referrals/{referral}/letters/discharge.pdf", ct));
        Assert.Contains("Elena Park", unsigned, StringComparison.Ordinal);
        Assert.DoesNotContain("Elena Park, PT", unsigned, StringComparison.Ordinal);

        // Signed in, the user sending signs while the therapist is not one of the practice's users.
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("jane@summit.test", RapportApp.Password, Roles.Clinician, "Jane Smith", "PT, DPT"));
        using var jane = await app.SignedInClientAsync("jane@summit.test");
        var preview = await Forms.ParseAsync(await jane.GetAsync($"/Episodes/{referral}/Letters/discharge", ct));
        Assert.Contains("Jane Smith, PT, DPT", preview.QuerySelector("[data-testid='letter-preview']")!.TextContent, StringComparison.Ordinal);

        // Once the therapist is a user with credentials, the letter is theirs, whoever sends it.
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("elena@summit.test", RapportApp.Password, Roles.Clinician, "Elena Park", "PT, DPT, OCS"));
        var signed = PdfText(await api.GetByteArrayAsync($"/api/v1/referrals/{referral}/letters/discharge.pdf", ct));
        Assert.Contains("Elena Park, PT, DPT, OCS", signed, StringComparison.Ordinal);
        var pdf = PdfText(await jane.GetByteArrayAsync($"/Episodes/{referral}/Letters/discharge?handler=Pdf", ct));
        Assert.Contains("Elena Park, PT, DPT, OCS", pdf, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane Smith", pdf, StringComparison.Ordinal);
    }
}
