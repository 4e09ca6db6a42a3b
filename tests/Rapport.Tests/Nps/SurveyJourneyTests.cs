using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Data;
using Rapport.Nps;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;

namespace Rapport.Tests.Nps;

public sealed partial class SurveyJourneyTests
{
    [Fact]
    public async Task Discharge_invitation_arrives_by_mail_a_3_opens_a_follow_up_and_the_link_works_once()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var smtp = SmtpTestServer.Start();
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings()));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("manager@harbor-pt.test", RapportApp.Password, Roles.Manager, "Morgan Manager"));

        await NpsTestKit.DischargedPatientAsync(app, org);

        var mail = await smtp.WaitForMessageAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("jane.roe@example.test", mail.To.Mailboxes.Single().Address);
        Assert.Equal("How likely are you to recommend Harbor PT?", mail.Subject);
        Assert.DoesNotContain("Roe-Confidential", mail.TextBody, StringComparison.Ordinal);
        var link = SurveyLink().Match(mail.TextBody ?? "").Value;
        Assert.StartsWith(app.BaseAddress.AbsoluteUri + "s/", link, StringComparison.Ordinal);
        Assert.Contains(link, mail.HtmlBody, StringComparison.Ordinal);

        var survey = await browser.NewPageAsync();
        await survey.GotoAsync(link);
        Assert.Contains("Harbor PT", await survey.Locator("legend").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Roe", await survey.ContentAsync(), StringComparison.Ordinal);
        await survey.GetByRole(AriaRole.Radio, new() { Name = "3", Exact = true }).CheckAsync();
        await survey.GetByLabel("What is the main reason for your score? (optional)").FillAsync("The front desk lost my paperwork twice.");
        await survey.GetByLabel("You may share my comment with my physician, without my name.").CheckAsync();
        await survey.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
        await Assertions.Expect(survey.GetByTestId("thank-you")).ToBeVisibleAsync();
        Assert.Equal(0, await survey.GetByRole(AriaRole.Link, new() { Name = "Write a review" }).CountAsync());

        var staff = new RapportPages(await browser.NewPageAsync(), app.BaseAddress);
        await staff.SignInAsync("manager@harbor-pt.test", RapportApp.Password);
        await staff.Page.GotoAsync(new Uri(app.BaseAddress, "/Nps/FollowUps").AbsoluteUri);
        var task = staff.Page.GetByTestId("followup");
        await Assertions.Expect(task).ToHaveCountAsync(1);
        Assert.Equal("3", await task.GetByTestId("followup-score").InnerTextAsync());
        Assert.Contains("The front desk lost my paperwork twice.", await task.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Morgan Manager", await task.InnerTextAsync(), StringComparison.Ordinal);
        await staff.Page.GotoAsync(app.BaseAddress.AbsoluteUri);
        Assert.Equal("1", (await staff.Page.GetByTestId("open-followups").InnerTextAsync()).Trim());
        Assert.Equal("-100", (await staff.Page.GetByTestId("home-nps-value").InnerTextAsync()).Trim());

        // The same link again: a polite page, no form, and nothing changes.
        var again = await browser.NewPageAsync();
        await again.GotoAsync(link);
        await Assertions.Expect(again.GetByTestId("already-answered")).ToBeVisibleAsync();
        Assert.Equal(0, await again.Locator("form").CountAsync());
        var (responses, followUps) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            return (await db.Set<NpsResponse>().Select(r => new { r.Score, r.ShareWithPhysician, r.Therapist }).ToListAsync(),
                await db.Set<DetractorFollowUp>().CountAsync());
        });
        Assert.Equal(3, Assert.Single(responses).Score);
        Assert.True(responses[0].ShareWithPhysician);
        Assert.Equal("Sam Park", responses[0].Therapist);
        Assert.Equal(1, followUps);
    }

    [GeneratedRegex(@"https?://\S+/s/[0-9]+\.[A-Za-z0-9_-]+")]
    private static partial Regex SurveyLink();
}
