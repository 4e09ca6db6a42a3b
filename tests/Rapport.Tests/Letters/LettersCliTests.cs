using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Letters;

public sealed class LettersCliTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Cli_writes_the_letter_and_its_fax_cover_then_records_it_mailed_so_it_leaves_the_due_list(string database)
    {
        var (app, org, api) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var disposeApp = app;
        using var disposeApi = api;
        var source = await CreateSourceAsync(api, "Foreman", email: null, fax: "(951) 555-0177");
        var patient = await CreatePatientAsync(api, "MRN-9", "Grace", "Hopper", "1936-12-09");
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-9), null, visits: 4);
        var folder = Directory.CreateTempSubdirectory("rapport-letters-").FullName;
        try
        {
            var letterFile = Path.Combine(folder, "letter.pdf");
            var coverFile = Path.Combine(folder, "cover.pdf");
            var pdf = await Infrastructure.Cli.RunAsync(app.Database, "letters", "pdf", $"{referral}", "evaluation", "--out", letterFile, "--fax-cover", coverFile);
            Assert.True(pdf.ExitCode == 0, pdf.Stderr);
            var letter = PdfText(await File.ReadAllBytesAsync(letterFile, TestContext.Current.CancellationToken));
            Assert.Contains("Grace Hopper", letter, StringComparison.Ordinal);
            Assert.Contains("December 9, 1936", letter, StringComparison.Ordinal);
            var cover = PdfText(await File.ReadAllBytesAsync(coverFile, TestContext.Current.CancellationToken));
            Assert.Contains("(951) 555-0177", cover, StringComparison.Ordinal);
            Assert.Contains($"Pages: {PdfPages(await File.ReadAllBytesAsync(letterFile, TestContext.Current.CancellationToken)) + 1}, including this cover sheet", cover, StringComparison.Ordinal);
            Assert.Contains("Confidentiality notice", cover, StringComparison.Ordinal);
            Assert.DoesNotContain("Hopper", cover, StringComparison.Ordinal);

            var due = await Infrastructure.Cli.RunAsync(app.Database, "letters", "due", "--format", "csv");
            Assert.True(due.ExitCode == 0, due.Stderr);
            Assert.Contains($"{referral},\"Hopper, Grace\",{source},", due.Stdout, StringComparison.Ordinal);
            Assert.Contains(",evaluation,Overdue,", due.Stdout, StringComparison.Ordinal);

            var send = await Infrastructure.Cli.RunAsync(app.Database, "letters", "send", $"{referral}", "evaluation", "--via", "mail");
            Assert.True(send.ExitCode == 0, send.Stderr);
            Assert.Contains("recorded as sent by mail", send.Stdout, StringComparison.Ordinal);
            var after = await Infrastructure.Cli.RunAsync(app.Database, "letters", "due", "--format", "csv");
            Assert.DoesNotContain($"{referral},", after.Stdout, StringComparison.Ordinal);
            var touch = Assert.Single((await api.GetOkAsync($"/api/v1/touchpoints?sourceId={source}")).GetProperty("items").EnumerateArray());
            Assert.Equal("Letter", touch.GetProperty("method").GetString());

            var bad = await Infrastructure.Cli.RunAsync(app.Database, "letters", "send", $"{referral}", "referral");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("kind: 'referral' is not a letter kind", bad.Stderr, StringComparison.Ordinal);
            var email = await Infrastructure.Cli.RunAsync(app.Database, "letters", "send", $"{referral}", "progress", "--via", "email");
            Assert.Equal(2, email.ExitCode);
            Assert.Contains("via: ", email.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
