using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Referrals;

/// <summary>
/// The referral queue's rules: the stage of each referral, its age in days and business days, overdue to
/// schedule by the practice's setting across a weekend, and the all-or-nothing bulk status change.
/// </summary>
public sealed class ReferralQueueTests
{
    /// <summary>A Monday afternoon: the weekend just passed is what business days must skip.</summary>
    internal static readonly DateTimeOffset Monday = new(2026, 6, 22, 15, 0, 0, TimeSpan.Zero);
    internal static readonly DateOnly Today = new(2026, 6, 22);

    [Fact]
    public void Business_days_count_Monday_to_Friday_after_the_received_day()
    {
        var friday = new DateOnly(2026, 6, 19);
        Assert.Equal(DayOfWeek.Friday, friday.DayOfWeek);
        Assert.Equal(0, BusinessDays.Between(friday, friday));
        Assert.Equal(0, BusinessDays.Between(friday, friday.AddDays(1)));  // Saturday
        Assert.Equal(0, BusinessDays.Between(friday, friday.AddDays(2)));  // Sunday
        Assert.Equal(1, BusinessDays.Between(friday, friday.AddDays(3)));  // Monday
        Assert.Equal(5, BusinessDays.Between(friday, friday.AddDays(7)));
        Assert.Equal(10, BusinessDays.Between(friday.AddDays(1), friday.AddDays(15)));  // Saturday to the Saturday two weeks on
        Assert.Equal(1, BusinessDays.Between(new DateOnly(2026, 6, 20), Today));  // received Saturday, today Monday
        // Received on or before Wednesday the 17th has waited more than 2 business days by Monday the 22nd.
        Assert.Equal(new DateOnly(2026, 6, 17), BusinessDays.LatestOverdueReceivedOn(Today, 2));
        Assert.Equal(new DateOnly(2026, 6, 18), BusinessDays.LatestOverdueReceivedOn(Today, 1));
        Assert.Equal(new DateOnly(2026, 6, 21), BusinessDays.LatestOverdueReceivedOn(Today, 0));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Each_referral_has_its_stage_age_and_business_day_overdue_by_the_practice_setting(string database)
    {
        await using var app = await RapportApp.StartAsync(database, now: Monday);
        var org = await app.CreateOrganizationAsync("Queue PT");
        var ids = await app.InOrganizationAsync(org.Id, sp => SeedStagesAsync(sp, org.ClinicId));

        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var queue = sp.GetRequiredService<ReferralQueue>();
            var all = await queue.ListAsync(new ReferralQueueQuery());
            Assert.Equal(ids.Count, all.Total);
            Assert.Equal(
                [(ReferralStage.Received, 3), (ReferralStage.Scheduled, 1), (ReferralStage.Evaluated, 1), (ReferralStage.InCare, 1), (ReferralStage.Discharged, 1), (ReferralStage.Lost, 1)],
                all.StageCounts.Select(c => (c.Stage, c.Count)));
            foreach (var (name, stage) in new[] { ("scheduled", ReferralStage.Scheduled), ("evaluated", ReferralStage.Evaluated), ("inCare", ReferralStage.InCare),
                ("discharged", ReferralStage.Discharged), ("lost", ReferralStage.Lost) })
            {
                var row = Assert.Single((await queue.ListAsync(new ReferralQueueQuery { Stage = stage })).Items);
                Assert.Equal(ids[name], row.Id);
                Assert.Equal(stage, row.Stage);
                Assert.False(row.OverdueToSchedule);
                Assert.Null(row.BusinessDaysWaiting);
            }

            // Default 2 business days: only Wednesday's is overdue; Thursday's has waited 4 calendar days but 2 business days.
            var received = await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Received });
            Assert.Equal(2, received.ScheduleWithinBusinessDays);
            Assert.Equal(1, received.OverdueCount);
            Assert.Equal([ids["wednesday"], ids["saturday"], ids["thursday"]], received.Items.Select(r => r.Id));
            Assert.Equal([(5, 3, true), (2, 1, false), (4, 2, false)], received.Items.Select(r => (r.AgeDays, r.BusinessDaysWaiting!.Value, r.OverdueToSchedule)));

            // One business day: Thursday's is overdue too, and moves up with Wednesday's, the longest waiting first.
            await sp.GetRequiredService<ReferralQueueSettingsService>().SaveAsync(1);
            received = await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Received });
            Assert.Equal(2, received.OverdueCount);
            Assert.Equal([ids["wednesday"], ids["thursday"], ids["saturday"]], received.Items.Select(r => r.Id));
            Assert.Equal([true, true, false], received.Items.Select(r => r.OverdueToSchedule));

            // Zero: anything not scheduled the day it came is overdue by the next business day.
            await sp.GetRequiredService<ReferralQueueSettingsService>().SaveAsync(0);
            Assert.Equal(3, (await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Received })).OverdueCount);

            var refused = await Assert.ThrowsAsync<ValidationException>(() => sp.GetRequiredService<ReferralQueueSettingsService>().SaveAsync(31));
            Assert.Contains("scheduleWithinBusinessDays", refused.Errors.Keys);

            // Filters narrow the tabs' counts as well as the rows.
            var filtered = await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Received, ReceivedFrom = new DateOnly(2026, 6, 18) });
            Assert.Equal(2, filtered.Total);
            Assert.Equal(2, filtered.StageCounts.Single(c => c.Stage == ReferralStage.Received).Count);
            Assert.Equal(0, filtered.StageCounts.Single(c => c.Stage == ReferralStage.Lost).Count);
            var direct = await queue.ListAsync(new ReferralQueueQuery { Channel = AcquisitionChannel.WebSearch });
            Assert.Equal(ids["saturday"], Assert.Single(direct.Items).Id);
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_bulk_change_moves_every_referral_or_none_and_says_which_row_is_wrong(string database)
    {
        await using var app = await RapportApp.StartAsync(database, now: Monday);
        var org = await app.CreateOrganizationAsync("Queue PT");
        var ids = await app.InOrganizationAsync(org.Id, sp => SeedStagesAsync(sp, org.ClinicId));

        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var queue = sp.GetRequiredService<ReferralQueue>();
            var waiting = new[] { ids["wednesday"], ids["thursday"], ids["saturday"] };

            // Scheduled on Friday the 19th: Saturday's referral was received after it, so nothing moves.
            var e = await Assert.ThrowsAsync<ValidationException>(() => queue.SetStatusAsync(new ReferralStatusChange
            {
                ReferralIds = waiting, Status = ReferralStatus.Scheduled, On = new DateOnly(2026, 6, 19),
            }));
            var problem = Assert.Single(e.Errors["referralIds"]);
            Assert.StartsWith($"Referral {ids["saturday"]} (received 2026-06-20): Scheduled date (2026-06-19) cannot be before the received date", problem, StringComparison.Ordinal);
            Assert.Equal(3, (await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Received })).Total);

            // Unknown ids and a discharge before an evaluation are refused together.
            e = await Assert.ThrowsAsync<ValidationException>(() => queue.SetStatusAsync(new ReferralStatusChange
            {
                ReferralIds = [ids["wednesday"], 999_999, ids["inCare"]], Status = ReferralStatus.Discharged,
            }));
            Assert.Equal(2, e.Errors["referralIds"].Length);
            Assert.Contains(e.Errors["referralIds"], m => m.Contains("mark it evaluated before discharging", StringComparison.Ordinal));
            Assert.Contains(e.Errors["referralIds"], m => m == "Referral 999999 does not exist.");

            // Lost needs a reason from the list.
            e = await Assert.ThrowsAsync<ValidationException>(() => queue.SetStatusAsync(new ReferralStatusChange { ReferralIds = [ids["wednesday"]], Status = ReferralStatus.Lost }));
            Assert.Equal("Choose why the referral was lost.", Assert.Single(e.Errors["lostReason"]));
            e = await Assert.ThrowsAsync<ValidationException>(() => queue.SetStatusAsync(new ReferralStatusChange
            {
                ReferralIds = [ids["wednesday"]], Status = ReferralStatus.Scheduled, LostReason = LostReason.NoShow,
            }));
            Assert.Contains("lostReason", e.Errors.Keys);

            // Scheduled today (the default date): all three move.
            var moved = await queue.SetStatusAsync(new ReferralStatusChange { ReferralIds = waiting, Status = ReferralStatus.Scheduled });
            Assert.Equal(Today, moved.On);
            var scheduled = await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Scheduled });
            Assert.Equal(4, scheduled.Total);
            Assert.All(scheduled.Items.Where(r => waiting.Contains(r.Id)), r => Assert.Equal(Today, r.ScheduledOn));
            Assert.Equal(0, scheduled.StageCounts.Single(c => c.Stage == ReferralStage.Received).Count);

            // Evaluated records the evaluation visit; lost keeps the reason's words and the note.
            await queue.SetStatusAsync(new ReferralStatusChange { ReferralIds = [ids["wednesday"]], Status = ReferralStatus.Evaluated });
            var evaluated = (await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Evaluated })).Items.Single(r => r.Id == ids["wednesday"]);
            Assert.Equal((Today, 1), (evaluated.EvaluatedOn!.Value, evaluated.VisitCount));
            await queue.SetStatusAsync(new ReferralStatusChange
            {
                ReferralIds = [ids["thursday"]], Status = ReferralStatus.Lost, LostReason = LostReason.WentElsewhere, Note = "a clinic nearer home",
            });
            var lost = (await queue.ListAsync(new ReferralQueueQuery { Stage = ReferralStage.Lost })).Items.Single(r => r.Id == ids["thursday"]);
            Assert.Equal(("Went to another practice — a clinic nearer home", Today), (lost.LostReason, lost.LostOn!.Value));
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Channel_rules_physician_needs_a_source_direct_access_has_none_and_intake_asks_how(string database)
    {
        await using var app = await RapportApp.StartAsync(database, now: Monday);
        var org = await app.CreateOrganizationAsync("Queue PT");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var referrals = sp.GetRequiredService<ReferralService>();
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Cuddy", Npi = Formats.NpiWithCheckDigit("100000001") });
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "P1", FirstName = "Ann", LastName = "Lee" });
            var input = new ReferralInput { PatientId = patient.Id, ClinicId = org.ClinicId, ReceivedOn = Today };

            var e = await Assert.ThrowsAsync<ValidationException>(() => referrals.CreateAsync(input with { AcquisitionChannel = AcquisitionChannel.Physician }));
            Assert.Equal("A physician referral needs its referring source.", Assert.Single(e.Errors["sourceId"]));
            e = await Assert.ThrowsAsync<ValidationException>(() => referrals.CreateAsync(input with { AcquisitionChannel = AcquisitionChannel.WebSearch, SourceId = source.Id }));
            Assert.Contains("is direct access, which has no referring source", Assert.Single(e.Errors["acquisitionChannel"]), StringComparison.Ordinal);
            // Intake asks which way, and how a direct-access patient heard of the practice.
            e = await Assert.ThrowsAsync<ValidationException>(() => referrals.IntakeAsync(input, null));
            Assert.Contains("acquisitionChannel", e.Errors.Keys);
            e = await Assert.ThrowsAsync<ValidationException>(() => referrals.IntakeAsync(input with { AcquisitionChannel = AcquisitionChannel.DirectAccess }, null));
            Assert.Contains("Google/search", Assert.Single(e.Errors["acquisitionChannel"]), StringComparison.Ordinal);
            Assert.Equal(0, (await sp.GetRequiredService<ReferralQueue>().ListAsync(new ReferralQueueQuery())).Total);

            var direct = await referrals.IntakeAsync(input with { AcquisitionChannel = AcquisitionChannel.FriendOrFamily }, null);
            Assert.Equal((AcquisitionChannel.FriendOrFamily, (int?)null), (direct.AcquisitionChannel!.Value, direct.SourceId));
            var physician = await referrals.IntakeAsync(input with { AcquisitionChannel = AcquisitionChannel.Physician, SourceId = source.Id }, null);
            Assert.Equal(AcquisitionChannel.Physician, physician.AcquisitionChannel);
            // Older clients that send no channel still get it from the source.
            var unsaid = await referrals.CreateAsync(input with { SourceId = source.Id });
            Assert.Equal(AcquisitionChannel.Physician, unsaid.AcquisitionChannel);
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_patient_phone_is_validated_and_stored_in_one_format(string database)
    {
        await using var app = await RapportApp.StartAsync(database, now: Monday);
        var org = await app.CreateOrganizationAsync("Queue PT");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var patients = sp.GetRequiredService<PatientService>();
            var created = await patients.CreateAsync(new PatientInput { ExternalId = "P1", FirstName = "Ann", LastName = "Lee", Phone = "+1 555.123.4567", Email = "ann@example.test" });
            Assert.Equal(("(555) 123-4567", "ann@example.test"), ((await patients.GetAsync(created.Id))!.Phone, (await patients.GetAsync(created.Id))!.Email));
            foreach (var bad in NotPhones)
            {
                var e = await Assert.ThrowsAsync<ValidationException>(() => patients.CreateAsync(new PatientInput { ExternalId = "P2", FirstName = "Bo", LastName = "Kim", Phone = bad }));
                Assert.Contains("is not a US phone number", Assert.Single(e.Errors["phone"]), StringComparison.Ordinal);
            }
            // A referral intake with a new patient: the phone's problem comes back on the new patient's field.
            var e2 = await Assert.ThrowsAsync<ValidationException>(() => sp.GetRequiredService<ReferralService>().IntakeAsync(
                new ReferralInput { ClinicId = org.ClinicId, ReceivedOn = Today, AcquisitionChannel = AcquisitionChannel.Website },
                new PatientInput { ExternalId = "P3", FirstName = "Cy", LastName = "Ray", Phone = "call me" }));
            Assert.Contains(ReferralService.NewPatientPrefix + "phone", e2.Errors.Keys);
            return 0;
        });
    }

    private static readonly string[] NotPhones = ["12345", "555-CALL-NOW", "555 123 45678 9"];

    /// <summary>One referral in each stage, and three waiting to be scheduled around the weekend before <see cref="Monday"/>.</summary>
    internal static async Task<Dictionary<string, int>> SeedStagesAsync(IServiceProvider sp, int clinicId)
    {
        var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { FirstName = "Lisa", LastName = "Cuddy", Credential = "MD", Npi = Formats.NpiWithCheckDigit("100000002") });
        var patients = sp.GetRequiredService<PatientService>();
        var referrals = sp.GetRequiredService<ReferralService>();
        var ids = new Dictionary<string, int>();
        var n = 0;
        async Task Add(string name, DateOnly received, ReferralInput extra, AcquisitionChannel channel = AcquisitionChannel.Physician)
        {
            var patient = await patients.CreateAsync(new PatientInput { ExternalId = $"MRN{++n}", FirstName = "Pat", LastName = $"{name}-{n}", Phone = $"555-010-{n:0000}" });
            var referral = await referrals.CreateAsync(extra with
            {
                PatientId = patient.Id, ClinicId = clinicId, ReceivedOn = received, AcquisitionChannel = channel,
                SourceId = channel == AcquisitionChannel.Physician ? source.Id : null,
            });
            ids[name] = referral.Id;
        }
        await Add("wednesday", new DateOnly(2026, 6, 17), new ReferralInput());
        await Add("thursday", new DateOnly(2026, 6, 18), new ReferralInput());
        await Add("saturday", new DateOnly(2026, 6, 20), new ReferralInput(), AcquisitionChannel.WebSearch);
        await Add("scheduled", new DateOnly(2026, 6, 1), new ReferralInput { ScheduledOn = new DateOnly(2026, 6, 24) });
        await Add("evaluated", new DateOnly(2026, 6, 2), new ReferralInput { ScheduledOn = new DateOnly(2026, 6, 5), EvaluatedOn = new DateOnly(2026, 6, 8), VisitCount = 1 });
        await Add("inCare", new DateOnly(2026, 5, 2), new ReferralInput { EvaluatedOn = new DateOnly(2026, 5, 8), VisitCount = 6 });
        await Add("discharged", new DateOnly(2026, 3, 2), new ReferralInput { EvaluatedOn = new DateOnly(2026, 3, 8), DischargedOn = new DateOnly(2026, 5, 1), VisitCount = 12 });
        await Add("lost", new DateOnly(2026, 4, 2), new ReferralInput { LostOn = new DateOnly(2026, 4, 20), LostReason = "Could not reach the patient" });
        return ids;
    }
}
