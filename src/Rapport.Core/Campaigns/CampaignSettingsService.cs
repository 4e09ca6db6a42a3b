using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Campaigns;

/// <summary>The practice's campaign settings as every door shows and takes them (<c>{"attributionWindowDays":90}</c>).</summary>
public sealed record CampaignSettingsView(int AttributionWindowDays);

/// <summary>Reads and saves the attribution window (Settings → Campaigns, <c>/api/v1/settings/campaigns</c>).</summary>
public sealed class CampaignSettingsService(RapportDbContext db)
{
    public const string WindowField = "attributionWindowDays";

    public async Task<CampaignSettingsView> GetAsync(CancellationToken cancellationToken = default)
    {
        var row = await db.Set<CampaignSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return new CampaignSettingsView(row?.AttributionWindowDays ?? CampaignSettings.DefaultAttributionWindowDays);
    }

    /// <summary>Saves the window: whole days from 1 to <see cref="CampaignSettings.MaxAttributionWindowDays"/> (two years).</summary>
    public async Task<CampaignSettingsView> SaveAsync(CampaignSettingsView settings, CancellationToken cancellationToken = default)
    {
        if (settings.AttributionWindowDays is < 1 or > CampaignSettings.MaxAttributionWindowDays)
        {
            throw new ValidationException(WindowField,
                $"The attribution window must be a whole number of days from 1 to {CampaignSettings.MaxAttributionWindowDays} (two years); "
                + $"{CampaignSettings.DefaultAttributionWindowDays} days is the default.");
        }
        var row = await db.Set<CampaignSettings>().FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            db.Add(new CampaignSettings { AttributionWindowDays = settings.AttributionWindowDays });
        }
        else
        {
            row.AttributionWindowDays = settings.AttributionWindowDays;
        }
        await db.SaveChangesAsync(cancellationToken);
        return settings;
    }
}
