using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sources;

/// <summary>
/// A page of the sources list is reused until the practice's data changes or its day turns, and the
/// page and the request that wrote see the write at once (the same rule as the dashboard's cache).
/// </summary>
public sealed class SourceListCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_page_is_reused_until_a_write_or_a_new_day_and_a_write_shows_in_the_same_request(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(Start);
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(time));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = DateOnly.FromDateTime(Start.UtcDateTime);
        var byReferrals = new SourceListQuery { Sort = SourceSort.Referrals90d, Descending = true };
        var (cuddyId, wilsonId) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var sources = sp.GetRequiredService<SourceService>();
            var cuddy = await sources.CreateAsync(new SourceInput { Npi = Formats.NpiWithCheckDigit("123450001"), FirstName = "Lisa", LastName = "Cuddy", Credential = "MD" });
            var wilson = await sources.CreateAsync(new SourceInput { Npi = Formats.NpiWithCheckDigit("123450002"), FirstName = "James", LastName = "Wilson", Credential = "MD" });
            await ReferAsync(sp, org.ClinicId, cuddy.Id, "MRN1", today.AddDays(-89));
            return (cuddy.Id, wilson.Id);
        });
        Task<Paged<SourceSummary>> ListAsync(SourceListQuery query) =>
            app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<SourceQueries>().ListAsync(query, ct));

        var first = await ListAsync(byReferrals);
        Assert.Equal([cuddyId, wilsonId], first.Items.Select(s => s.Id));
        Assert.Same(first, await ListAsync(byReferrals)); // nothing changed: the same page
        Assert.Same(first, await ListAsync(byReferrals with { })); // an equal query is the same key
        Assert.NotSame(first, await ListAsync(byReferrals with { Search = "wilson" }));

        // A write, then the list in the same scope (a form that saves and shows the list): it counts.
        var afterWrite = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var list = sp.GetRequiredService<SourceQueries>();
            await list.ListAsync(byReferrals, ct);
            await ReferAsync(sp, org.ClinicId, wilsonId, "MRN2", today.AddDays(-1));
            await ReferAsync(sp, org.ClinicId, wilsonId, "MRN3", today);
            return await list.ListAsync(byReferrals, ct);
        });
        Assert.Equal([wilsonId, cuddyId], afterWrite.Items.Select(s => s.Id));
        Assert.Equal(2, afterWrite.Items[0].Referrals90d);
        Assert.Same(afterWrite, await ListAsync(byReferrals));

        // Two days on, Cuddy's referral is 91 days old: out of the 90-day count with no write at all.
        time.Advance(TimeSpan.FromDays(2));
        var later = await ListAsync(byReferrals);
        Assert.NotSame(afterWrite, later);
        Assert.Equal(0, later.Items.Single(s => s.Id == cuddyId).Referrals90d);
    }

    private static async Task ReferAsync(IServiceProvider sp, int clinicId, int sourceId, string mrn, DateOnly receivedOn)
    {
        var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = mrn, FirstName = "Pat", LastName = mrn });
        await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = sourceId, ClinicId = clinicId, ReceivedOn = receivedOn });
    }
}
