using System.Globalization;

namespace Rapport.Demo;

/// <summary>
/// Streams a <see cref="DemoPlan"/> into the database table by table, in foreign-key order
/// (PostgreSQL's COPY takes one table at a time, so each table is a fresh, identical pass over
/// the plan rather than a buffer of rows).
/// </summary>
internal sealed class DemoLoader(DemoPlan plan, int organizationId, IReadOnlyList<DemoStaff> staff, IProgress<DemoProgress>? progress)
{
    private static readonly BulkColumn[] SourceColumns = Columns(
        ("Id", BulkType.Int), ("OrganizationId", BulkType.Int), ("Npi", BulkType.Text), ("FirstName", BulkType.Text), ("LastName", BulkType.Text),
        ("Credential", BulkType.Text), ("TaxonomyCode", BulkType.Text), ("Specialty", BulkType.Text), ("PracticeName", BulkType.Text),
        ("AddressLine", BulkType.Text), ("City", BulkType.Text), ("State", BulkType.Text), ("Zip", BulkType.Text), ("Phone", BulkType.Text),
        ("Fax", BulkType.Text), ("Email", BulkType.Text), ("PreferredContactMethod", BulkType.Text), ("OwnerUserId", BulkType.Text),
        ("ClinicId", BulkType.Int), ("Status", BulkType.Text), ("TouchCadenceDays", BulkType.Int), ("Tags", BulkType.Text),
        ("CreatedAt", BulkType.Timestamp), ("UpdatedAt", BulkType.Timestamp), ("ArchivedAt", BulkType.Timestamp));

    private static readonly BulkColumn[] PatientColumns = Columns(
        ("Id", BulkType.Int), ("OrganizationId", BulkType.Int), ("ExternalId", BulkType.Text), ("FirstName", BulkType.Text), ("LastName", BulkType.Text),
        ("BirthDate", BulkType.Date), ("Sex", BulkType.Text), ("Zip", BulkType.Text), ("Payer", BulkType.Text), ("AcquisitionChannel", BulkType.Text),
        ("CreatedAt", BulkType.Timestamp), ("ArchivedAt", BulkType.Timestamp));

    private static readonly BulkColumn[] ReferralColumns = Columns(
        ("Id", BulkType.Int), ("OrganizationId", BulkType.Int), ("ExternalId", BulkType.Text), ("PatientId", BulkType.Int), ("SourceId", BulkType.Int),
        ("ClinicId", BulkType.Int), ("Therapist", BulkType.Text), ("ReceivedOn", BulkType.Date), ("ScheduledOn", BulkType.Date),
        ("EvaluatedOn", BulkType.Date), ("DischargedOn", BulkType.Date), ("LostOn", BulkType.Date), ("LostReason", BulkType.Text),
        ("Status", BulkType.Text), ("DiagnosisCodes", BulkType.Text), ("BodyRegion", BulkType.Text), ("Procedure", BulkType.Text),
        ("PayerCategory", BulkType.Text), ("AcquisitionChannel", BulkType.Text), ("VisitCount", BulkType.Int),
        ("CampaignId", BulkType.Int), ("CreatedAt", BulkType.Timestamp), ("UpdatedAt", BulkType.Timestamp));

    private static readonly BulkColumn[] ReferBackColumns = Columns(
        ("Id", BulkType.Int), ("OrganizationId", BulkType.Int), ("PatientId", BulkType.Int), ("ToSourceId", BulkType.Int), ("SentOn", BulkType.Date),
        ("Reason", BulkType.Text), ("Notes", BulkType.Text), ("CreatedAt", BulkType.Timestamp));

    private static readonly BulkColumn[] TouchColumns = Columns(
        ("Id", BulkType.Int), ("OrganizationId", BulkType.Int), ("ExternalId", BulkType.Text), ("SourceId", BulkType.Int), ("OccurredOn", BulkType.Date),
        ("Method", BulkType.Text), ("Purpose", BulkType.Text), ("Notes", BulkType.Text), ("ByUserId", BulkType.Text), ("ByName", BulkType.Text),
        ("CampaignId", BulkType.Int), ("FollowUpOn", BulkType.Date), ("Cost", BulkType.Decimal), ("CreatedAt", BulkType.Timestamp));

    public sealed record Counts(long Sources, long Patients, long Referrals, long ReferBacks, long Touchpoints)
    {
        public override string ToString() =>
            $"{Sources:N0} sources, {Patients:N0} patients, {Referrals:N0} referrals, {ReferBacks:N0} refer-backs, {Touchpoints:N0} touchpoints";
    }

    public async Task<Counts> LoadAsync(IBulkWriter writer, int firstReferBackId, int firstTouchId, CancellationToken cancellationToken)
    {
        var sources = await WriteSourcesAsync(writer, cancellationToken);
        var (patients, referrals, referBacks) = await WritePatientsAsync(writer, cancellationToken);
        await WriteReferralsAsync(writer, referrals, cancellationToken);
        await WriteReferBacksAsync(writer, referBacks, firstReferBackId, cancellationToken);
        var touches = await WriteTouchesAsync(writer, firstTouchId, cancellationToken);
        return new Counts(sources, patients, referrals, referBacks, touches);
    }

    private async Task<long> WriteSourcesAsync(IBulkWriter writer, CancellationToken cancellationToken)
    {
        await using var table = await writer.OpenTableAsync("ReferralSources", SourceColumns, cancellationToken);
        var meter = new Meter(progress, "Sources", plan.Sources.Count);
        foreach (var s in plan.Sources)
        {
            var row = Row(s.Id, organizationId, s.Npi, s.FirstName, s.LastName, s.Credential, s.Kind.TaxonomyCode, s.Specialty, s.PracticeName,
                s.AddressLine, s.Metro.City, s.Metro.State, s.Zip, s.Phone, s.Fax, s.Email, s.PreferredContactMethod?.ToString(), s.Owner.UserId,
                s.Clinic.Id, s.Status.ToString(), s.TouchCadenceDays, s.Tags, s.CreatedAt, s.CreatedAt, null);
            await table.WriteAsync(row, cancellationToken);
            meter.Step();
        }
        await table.CompleteAsync(cancellationToken);
        return meter.Finish();
    }

    private async Task<(long Patients, long Referrals, long ReferBacks)> WritePatientsAsync(IBulkWriter writer, CancellationToken cancellationToken)
    {
        await using var table = await writer.OpenTableAsync("Patients", PatientColumns, cancellationToken);
        var meter = new Meter(progress, "Patients", (long)plan.ExpectedReferrals);
        long patients = 0, referrals = 0, referBacks = 0;
        foreach (var episode in plan.Episodes())
        {
            referrals++;
            if (episode.ReferBack is not null)
            {
                referBacks++;
            }
            if (episode.NewPatient is { } p)
            {
                var row = Row(p.Id, organizationId, "MRN" + p.Id.ToString("D7", CultureInfo.InvariantCulture), p.FirstName, p.LastName, p.BirthDate, p.Sex,
                    p.Zip, p.Payer, p.Channel.ToString(), p.CreatedAt, null);
                await table.WriteAsync(row, cancellationToken);
                patients++;
            }
            meter.Step();
        }
        await table.CompleteAsync(cancellationToken);
        meter.Finish();
        return (patients, referrals, referBacks);
    }

    private async Task WriteReferralsAsync(IBulkWriter writer, long expected, CancellationToken cancellationToken)
    {
        await using var table = await writer.OpenTableAsync("Referrals", ReferralColumns, cancellationToken);
        var meter = new Meter(progress, "Referrals", expected);
        foreach (var e in plan.Episodes())
        {
            var lastEvent = e.LostOn ?? e.DischargedOn ?? e.EvaluatedOn ?? e.ScheduledOn ?? e.ReceivedOn;
            var row = Row(e.ReferralId, organizationId, "RF" + e.ReferralId.ToString("D8", CultureInfo.InvariantCulture), e.PatientId, e.SourceId, e.ClinicId,
                e.Therapist, e.ReceivedOn, e.ScheduledOn, e.EvaluatedOn, e.DischargedOn, e.LostOn, e.LostReason, e.Status.ToString(),
                e.Condition.DiagnosisCodes, e.Condition.BodyRegion, e.Condition.Procedure, e.PayerCategory.ToString(), e.Channel.ToString(), e.VisitCount,
                e.CampaignId, plan.At(e.ReceivedOn, e.ReferralId), plan.At(lastEvent, e.ReferralId + 1));
            await table.WriteAsync(row, cancellationToken);
            meter.Step();
        }
        await table.CompleteAsync(cancellationToken);
        meter.Finish();
    }

    private async Task WriteReferBacksAsync(IBulkWriter writer, long expected, int firstId, CancellationToken cancellationToken)
    {
        await using var table = await writer.OpenTableAsync("ReferralsOut", ReferBackColumns, cancellationToken);
        var meter = new Meter(progress, "Refer-backs", expected);
        var id = firstId;
        foreach (var e in plan.Episodes())
        {
            if (e.ReferBack is not { } referBack)
            {
                continue;
            }
            var row = Row(id, organizationId, e.PatientId, referBack.ToSourceId, referBack.SentOn, referBack.Reason, null, plan.At(referBack.SentOn, id));
            await table.WriteAsync(row, cancellationToken);
            id++;
            meter.Step();
        }
        await table.CompleteAsync(cancellationToken);
        meter.Finish();
    }

    private async Task<long> WriteTouchesAsync(IBulkWriter writer, int firstId, CancellationToken cancellationToken)
    {
        await using var table = await writer.OpenTableAsync("Touchpoints", TouchColumns, cancellationToken);
        var meter = new Meter(progress, "Touchpoints", plan.Touches(staff).LongCount());
        var id = firstId;
        foreach (var t in plan.Touches(staff))
        {
            var row = Row(id, organizationId, null, t.SourceId, t.OccurredOn, t.Method.ToString(), t.Purpose, t.Notes, t.By.UserId, t.By.Name, t.CampaignId,
                t.FollowUpOn, t.Cost, plan.At(t.OccurredOn, id));
            await table.WriteAsync(row, cancellationToken);
            id++;
            meter.Step();
        }
        await table.CompleteAsync(cancellationToken);
        return meter.Finish();
    }

    /// <summary>One row's values in column order; the writer binds or copies them before the next row.</summary>
    private static object?[] Row(params object?[] values) => values;

    private static BulkColumn[] Columns(params (string Name, BulkType Type)[] columns) => [.. columns.Select(c => new BulkColumn(c.Name, c.Type))];

    /// <summary>Reports a stage's progress a few hundred times at most, whatever its size.</summary>
    private sealed class Meter(IProgress<DemoProgress>? progress, string stage, long total)
    {
        private readonly long every = Math.Max(50, total / 400);
        private long done;

        public void Step()
        {
            done++;
            if (done % every == 0)
            {
                progress?.Report(new DemoProgress(stage, done, Math.Max(total, done)));
            }
        }

        public long Finish()
        {
            progress?.Report(new DemoProgress(stage, done, done));
            return done;
        }
    }
}
