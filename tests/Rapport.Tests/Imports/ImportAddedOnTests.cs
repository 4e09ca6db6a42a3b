using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Health;
using Rapport.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Imports;

/// <summary>
/// Imported sources are dated when the practice started working with them (added_on), or else by
/// their first referral, so "never touched since added" counts as if the practice had always used Rapport.
/// </summary>
public sealed class ImportAddedOnTests
{
    private static readonly string Early = Formats.NpiWithCheckDigit("520000001");
    private static readonly string Late = Formats.NpiWithCheckDigit("520000002");
    private static readonly string ByHand = Formats.NpiWithCheckDigit("520000003");
    private static readonly DateOnly Today = TestClock.Today;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Added_on_dates_an_imported_source_and_without_it_the_first_imported_referral_does(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        // West of UTC, so the start of a day in the practice's zone is not midnight UTC.
        var org = await app.CreateOrganizationAsync("Dated PT", "America/Los_Angeles");
        Task<ImportResult> ImportAsync(ImportKind kind, string csv) => app.InOrganizationAsync(org.Id, services => services.GetRequiredService<CsvImporter>()
            .ImportAsync(kind, new StringReader(csv), $"{kind.ToString().ToLowerInvariant()}.csv", new ImportOptions(), null, ct));

        // A bad date and a future one are errors on their line and column; nothing is written.
        var rejected = await ImportAsync(ImportKind.Sources, $"""
            npi,last_name,added_on
            {Early},Early,2019-04-01
            {Late},Late,2025-13-01
            {ByHand},Hand,{Today.AddDays(1):yyyy-MM-dd}
            """);
        Assert.True(rejected.Rejected);
        Assert.Collection(rejected.Errors,
            e => Assert.Equal((3, "added_on"), (e.Line, e.Column)),
            e => Assert.Equal((4, "added_on"), (e.Line, e.Column)));
        Assert.Contains("not a date", rejected.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("is in the future", rejected.Errors[1].Message, StringComparison.Ordinal);
        Assert.StartsWith("sources.csv:3: added_on: ", rejected.Errors[0].Format("sources.csv"), StringComparison.Ordinal);

        // A source added by hand keeps its date whatever its referrals say.
        await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<Rapport.Sources.SourceService>()
            .CreateAsync(new Rapport.Sources.SourceInput { Npi = ByHand, LastName = "Hand" }, ct));
        var imported = await ImportAsync(ImportKind.Sources, $"""
            npi,last_name,added_on,expects_refer_backs
            {Early},Early,2019-04-01,no
            {Late},Late,,
            """);
        Assert.False(imported.Rejected, string.Join("; ", imported.Errors.Select(e => e.Format("sources.csv"))));
        Assert.Equal(2, imported.Added);

        async Task<Dictionary<string, (DateTime CreatedAt, bool? ExpectsReferBacks)>> SourcesAsync() => await app.InOrganizationAsync(org.Id, async services =>
            await services.GetRequiredService<RapportDbContext>().Sources.AsNoTracking()
                .ToDictionaryAsync(s => s.Npi!, s => (s.CreatedAt, s.ExpectsReferBacks), ct));
        var start = await app.InOrganizationAsync(org.Id, services => Task.FromResult(services.GetRequiredService<PracticeClock>().StartOfDayUtc(new DateOnly(2019, 4, 1))));
        Assert.Equal(new DateTime(2019, 4, 1, 7, 0, 0), start);
        var sources = await SourcesAsync();
        Assert.Equal(start, sources[Early].CreatedAt);
        Assert.False(sources[Early].ExpectsReferBacks);
        Assert.Null(sources[Late].ExpectsReferBacks);
        Assert.Equal(Today, DateOnly.FromDateTime(sources[Late].CreatedAt));

        async Task<Dictionary<string, string>> NeverTouchedAsync() => await app.InOrganizationAsync(org.Id, async services =>
            (await services.GetRequiredService<AlertService>().ListAsync(cancellationToken: ct)).Alerts
                .Where(a => a.Kind == AlertKinds.TouchOverdue).ToDictionary(a => a.Source.Npi!, a => a.Reasons[0]));
        // Touch overdue counts from added_on; the other imported source looks added today, for now.
        var overdue = await NeverTouchedAsync();
        Assert.Equal($"Never touched since added {Today.DayNumber - new DateOnly(2019, 4, 1).DayNumber} days ago (cadence 60).", overdue[Early]);
        Assert.False(overdue.ContainsKey(Late));

        // A referrals import dates the source without added_on by its first referral; the others keep theirs.
        Assert.False((await ImportAsync(ImportKind.Patients, """
            external_id,first_name,last_name
            P1,Ada,Lovelace
            """)).Rejected);
        var firstReferral = Today.AddDays(-150);
        var referrals = await ImportAsync(ImportKind.Referrals, $"""
            external_id,source_npi,patient_external_id,received_date
            R1,{Late},P1,{Today.AddDays(-20):yyyy-MM-dd}
            R2,{Late},P1,{firstReferral:yyyy-MM-dd}
            R3,{Early},P1,2018-01-05
            R4,{ByHand},P1,{Today.AddDays(-100):yyyy-MM-dd}
            """);
        Assert.False(referrals.Rejected, string.Join("; ", referrals.Errors.Select(e => e.Format("referrals.csv"))));
        sources = await SourcesAsync();
        var firstStart = await app.InOrganizationAsync(org.Id, services => Task.FromResult(services.GetRequiredService<PracticeClock>().StartOfDayUtc(firstReferral)));
        Assert.Equal(firstStart, sources[Late].CreatedAt);
        Assert.Equal(start, sources[Early].CreatedAt);
        Assert.Equal(Today, DateOnly.FromDateTime(sources[ByHand].CreatedAt));
        overdue = await NeverTouchedAsync();
        // Late is now the practice's top referrer of the last 12 months: cadence 30.
        Assert.Equal("Never touched since added 150 days ago (cadence 30).", overdue[Late]);
        Assert.False(overdue.ContainsKey(ByHand));

        // An older referral in a later import moves it back again.
        Assert.False((await ImportAsync(ImportKind.Referrals, $"""
            external_id,source_npi,patient_external_id,received_date
            R5,{Late},P1,{Today.AddDays(-200):yyyy-MM-dd}
            """)).Rejected);
        Assert.Equal("Never touched since added 200 days ago (cadence 30).", (await NeverTouchedAsync())[Late]);
    }
}
