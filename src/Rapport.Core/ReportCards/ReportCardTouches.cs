using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Touchpoints;

namespace Rapport.ReportCards;

/// <summary>
/// Generating a card logs one touchpoint of method Report on the source. The card is identified by
/// source and period (<see cref="ReportCardKey"/>), stored as the touchpoint's external id, so a rerun
/// for the same source and period finds it and adds nothing (the unique index on external ids
/// holds even when two runs race).
/// </summary>
public sealed class ReportCardTouches(RapportDbContext db, PracticeClock time)
{
    /// <summary>Logs the card's touchpoint unless it exists; true when one was added.</summary>
    public async Task<bool> LogAsync(int sourceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var key = ReportCardKey.For(sourceId, from, to);
        if (await db.Touchpoints.AnyAsync(t => t.ExternalId == key, cancellationToken))
        {
            return false;
        }
        var touch = new Touchpoint
        {
            ExternalId = key,
            SourceId = sourceId,
            OccurredOn = time.Today(),
            Method = TouchMethod.Report,
            Purpose = string.Create(CultureInfo.InvariantCulture, $"Physician report card, {ReportCardPeriod.Describe(from, to)}"),
            ByName = db.Organization.Actor,
        };
        db.Touchpoints.Add(touch);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another run logged the same card between our check and our insert: the unique index kept one.
            if (await ExistsElsewhereAsync(key, touch, cancellationToken))
            {
                return false;
            }
            throw;
        }
    }

    private async Task<bool> ExistsElsewhereAsync(string key, Touchpoint touch, CancellationToken cancellationToken)
    {
        db.Entry(touch).State = EntityState.Detached;
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
        return await db.Touchpoints.AnyAsync(t => t.ExternalId == key, cancellationToken);
    }
}
