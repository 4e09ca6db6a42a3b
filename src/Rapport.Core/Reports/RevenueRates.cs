using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Referrals;
using Rapport.Tenancy;

namespace Rapport.Reports;

/// <summary>
/// What the practice takes in, on average, for one visit paid by a payer category: the referral source
/// report's estimated revenue is visits × this rate. A category without a row has no rate (not $0).
/// </summary>
public sealed class PayerRevenueRate : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public PayerCategory PayerCategory { get; set; }
    public decimal RevenuePerVisit { get; set; }
}

/// <summary>Reads and saves the practice's revenue per visit by payer category (Settings → Revenue).</summary>
public sealed class RevenueRates(RapportDbContext db)
{
    public const decimal MaxRevenuePerVisit = 100_000m;

    /// <summary>The rates set; a category that is absent has none.</summary>
    public async Task<IReadOnlyDictionary<PayerCategory, decimal>> GetAsync(CancellationToken cancellationToken = default) =>
        await db.Set<PayerRevenueRate>().AsNoTracking().ToDictionaryAsync(r => r.PayerCategory, r => r.RevenuePerVisit, cancellationToken);

    /// <summary>
    /// Replaces the rates: a category given a value gets it, a category given null (or left out) has no rate.
    /// Each must be from 0 to 100,000 with at most two decimals; problems name the camelCase category (e.g. "workersComp").
    /// </summary>
    public async Task SaveAsync(IReadOnlyDictionary<PayerCategory, decimal?> rates, CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        foreach (var (category, rate) in rates)
        {
            if (rate is { } value && (value < 0 || value > MaxRevenuePerVisit || decimal.Round(value, 2) != value))
            {
                problems.Add(FieldName(category), string.Create(CultureInfo.InvariantCulture,
                    $"Revenue per visit for {PayerLabels.Label(category)} must be an amount from 0 to {MaxRevenuePerVisit:N0} with at most two decimals (cents)."));
            }
        }
        problems.ThrowIfAny();
        var existing = await db.Set<PayerRevenueRate>().ToListAsync(cancellationToken);
        foreach (var category in Enum.GetValues<PayerCategory>())
        {
            var row = existing.FirstOrDefault(r => r.PayerCategory == category);
            var rate = rates.GetValueOrDefault(category);
            if (rate is null && row is not null)
            {
                db.Remove(row);
            }
            else if (rate is { } value)
            {
                if (row is null)
                {
                    db.Add(new PayerRevenueRate { PayerCategory = category, RevenuePerVisit = value });
                }
                else
                {
                    row.RevenuePerVisit = value;
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The camelCase field a category's rate is reported under ("medicare", "workersComp").</summary>
    public static string FieldName(PayerCategory category)
    {
        var name = category.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}

/// <summary>Payer categories as people read them.</summary>
public static class PayerLabels
{
    public static string Label(PayerCategory category) => category switch
    {
        PayerCategory.WorkersComp => "Workers' comp",
        PayerCategory.SelfPay => "Self-pay",
        PayerCategory.Auto => "Auto insurance",
        _ => category.ToString(),
    };
}

internal sealed class PayerRevenueRateConfiguration : IEntityTypeConfiguration<PayerRevenueRate>
{
    public void Configure(EntityTypeBuilder<PayerRevenueRate> b)
    {
        b.ToTable("PayerRevenueRates");
        b.Property(r => r.PayerCategory).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.RevenuePerVisit).HasPrecision(10, 2);
        b.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId);
        b.HasIndex(r => new { r.OrganizationId, r.PayerCategory }).IsUnique();
    }
}
