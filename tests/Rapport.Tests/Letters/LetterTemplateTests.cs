using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Documents;
using Rapport.Letters;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Letters;

public sealed class LetterTemplateTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_practices_own_text_and_the_clinicians_notes_print_in_the_letter_and_a_typo_in_a_placeholder_is_refused(string database)
    {
        var (app, org, api) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var disposeApp = app;
        using var disposeApi = api;
        var source = await CreateSourceAsync(api, "Kutner", "kutner@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-7", "Lena", "Marsh", "1948-07-01");
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-30), Today.AddDays(-1), visits: 9);

        var problem = await Assert.ThrowsAsync<ValidationException>(() => app.InOrganizationAsync(org.Id, sp =>
            sp.GetRequiredService<DocumentTemplates>().SaveAsync(LetterTemplates.TemplateKey(LetterKind.Discharge), "Dear {{physician.salutation}},\n\n{{patient.ssn}}")));
        Assert.Contains("line 3: unknown placeholder {{patient.ssn}}", string.Join(" ", problem.Errors["markdown"]), StringComparison.Ordinal);

        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<DocumentTemplates>().SaveAsync(LetterTemplates.TemplateKey(LetterKind.Discharge), """
            Dear {{physician.salutation}},

            Our own words: {{patient.first_name}} finished {{episode.visits}} visits with us. Scores: {{outcomes}} Our advice:

            {{notes}}

            Warm regards from {{practice.name}}
            """));
        var (status, body, _) = await api.SendAsync(HttpMethod.Put, $"/api/v1/referrals/{referral}/letters/discharge/notes",
            new { notes = "- Keep walking **daily**\n- Stair practice twice a week" });
        Assert.True(status == HttpStatusCode.NoContent, body.ToString());

        var pdf = await api.GetByteArrayAsync($"/api/v1/referrals/{referral}/letters/discharge.pdf", TestContext.Current.CancellationToken);
        var text = PdfText(pdf);
        Assert.True(text.Contains("Our own words: Lena finished 9 visits with us. Scores:", StringComparison.Ordinal), text);
        Assert.Contains("Lower Extremity Functional", text, StringComparison.Ordinal);
        Assert.Contains("+40", text, StringComparison.Ordinal);
        Assert.Contains("Keep walking daily", text, StringComparison.Ordinal);
        Assert.Contains("Stair practice twice a week", text, StringComparison.Ordinal);
        Assert.Contains("Warm regards from Summit Physical Therapy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RapportLetter", text, StringComparison.Ordinal);
        Assert.DoesNotContain("No further recommendations", text, StringComparison.Ordinal);

        // The evaluation letter still uses the shipped text, with its stock sentence where no notes were written.
        var evaluation = PdfText(await api.GetByteArrayAsync($"/api/v1/referrals/{referral}/letters/evaluation.pdf", TestContext.Current.CancellationToken));
        Assert.Contains("Thank you for referring Lena Marsh", evaluation, StringComparison.Ordinal);
        Assert.Contains(LetterTemplates.EmptyNotes(LetterKind.Evaluation), evaluation, StringComparison.Ordinal);
    }
}
