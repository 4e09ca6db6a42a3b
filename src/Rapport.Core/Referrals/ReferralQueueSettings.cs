using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Referrals;

/// <summary>A practice's referral queue settings; absent means the defaults.</summary>
public sealed class ReferralQueueSettings : IOrganizationOwned
{
    /// <summary>
    /// Two business days: a referral not booked by then is the one that goes elsewhere (the front desk's
    /// usual promise is a call back the next working day, and a second try the day after).
    /// </summary>
    public const int DefaultScheduleWithinBusinessDays = 2;
    public const int MaxScheduleWithinBusinessDays = 30;

    public int Id { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>A received referral not scheduled after this many business days (Monday to Friday, the practice's dates) is overdue.</summary>
    public int ScheduleWithinBusinessDays { get; set; } = DefaultScheduleWithinBusinessDays;
}

public sealed class ReferralQueueSettingsService(RapportDbContext db)
{
    public async Task<ReferralQueueSettings> GetAsync(CancellationToken cancellationToken = default) =>
        await db.Set<ReferralQueueSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new ReferralQueueSettings();

    public async Task SaveAsync(int? scheduleWithinBusinessDays, CancellationToken cancellationToken = default)
    {
        if (scheduleWithinBusinessDays is not { } days || days < 0 || days > ReferralQueueSettings.MaxScheduleWithinBusinessDays)
        {
            throw new ValidationException("scheduleWithinBusinessDays",
                $"Schedule within must be a whole number of business days from 0 to {ReferralQueueSettings.MaxScheduleWithinBusinessDays}.");
        }
        var settings = await db.Set<ReferralQueueSettings>().FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new ReferralQueueSettings();
            db.Add(settings);
        }
        settings.ScheduleWithinBusinessDays = days;
        await db.SaveChangesAsync(cancellationToken);
    }
}

internal sealed class ReferralQueueSettingsConfiguration : IEntityTypeConfiguration<ReferralQueueSettings>
{
    public void Configure(EntityTypeBuilder<ReferralQueueSettings> b)
    {
        b.ToTable("ReferralQueueSettings");
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
        b.HasIndex(s => s.OrganizationId).IsUnique();
    }
}

/// <summary>Business days: Monday to Friday on the practice's calendar. Public holidays are not known to Rapport and count as working days.</summary>
public static class BusinessDays
{
    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>: received on Friday, Monday is 1.</summary>
    public static int Between(DateOnly from, DateOnly to)
    {
        if (to <= from)
        {
            return 0;
        }
        var days = to.DayNumber - from.DayNumber;
        var weeks = days / 7;
        var count = weeks * 5;
        for (var day = from.AddDays(weeks * 7 + 1); day <= to; day = day.AddDays(1))
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// The latest received date that is overdue today: a referral received on or before it has waited more
    /// than <paramref name="allowed"/> business days. Lets the database filter on the date alone.
    /// </summary>
    public static DateOnly LatestOverdueReceivedOn(DateOnly today, int allowed)
    {
        var day = today;
        while (Between(day, today) <= allowed)
        {
            day = day.AddDays(-1);
        }
        return day;
    }
}
