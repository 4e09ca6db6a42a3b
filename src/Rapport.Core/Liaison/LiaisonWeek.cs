using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport.Liaison;

/// <summary>How many touches of one method a liaison logged in the week.</summary>
public sealed record MethodCount(TouchMethod Method, int Touches);

/// <param name="Goal">Touches a week the liaison aims for; null when none is set.</param>
/// <param name="ByMethod">The week's touches by method, most first; methods without touches left out.</param>
public sealed record LiaisonWeekRow(string UserId, string Name, int? Goal, int Touches, IReadOnlyList<MethodCount> ByMethod)
{
    /// <summary>Whether the week's touches have reached the goal (false without a goal).</summary>
    public bool GoalMet => Goal is { } goal && Touches >= goal;
}

/// <param name="WeekOf">The Monday the practice's week starts (the call list's week).</param>
/// <param name="Through">The last day counted: the as-of day (today unless asked).</param>
/// <param name="Rows">Liaisons (and anyone else with a goal or a touch this week), by name.</param>
public sealed record LiaisonWeek(DateOnly WeekOf, DateOnly Through, IReadOnlyList<LiaisonWeekRow> Rows);

/// <summary>What the touch form starts with when a liaison logs a call from the call list.</summary>
public sealed record TouchSuggestion(TouchMethod Method, string MethodReason);

/// <summary>
/// The liaison's week: touches each staff member logged in the practice's week (Monday to Sunday,
/// on the practice clock, as the call list counts it) against the weekly goal a manager set for
/// them; the method a liaison usually uses, for the touch form; and the per-user preferences
/// behind both (<see cref="StaffPreference"/>).
/// </summary>
public sealed class LiaisonWeekService(RapportDbContext db, PracticeClock time, UserDirectory users, StaffNames staffNames)
{
    public const int MaxWeeklyGoal = 500;
    /// <summary>"Recent" for the usual method: the liaison's last this-many touches.</summary>
    public const int RecentTouches = 50;

    /// <summary>The Monday of the week holding <paramref name="day"/>.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>
    /// The week as of a day (default today): for each liaison, the touches dated that week that they
    /// made (<see cref="MadeBy"/>). <paramref name="userId"/> limits it to one person (a liaison's own row).
    /// </summary>
    public async Task<LiaisonWeek> WeekAsync(DateOnly? asOf = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        var day = time.AsOfOrToday(asOf);
        var weekOf = WeekOf(day);
        var touches = await db.Touchpoints.Where(t => t.OccurredOn >= weekOf && t.OccurredOn <= day)
            .Select(t => new { t.ByUserId, t.ByName, t.Method }).ToListAsync(cancellationToken);
        var book = await staffNames.BookAsync(cancellationToken);
        var counts = touches.Select(t => (UserId: MadeBy(book, t.ByName, t.ByUserId), t.Method))
            .Where(t => t.UserId is not null && (userId is null || t.UserId == userId))
            .GroupBy(t => (t.UserId, t.Method)).Select(g => (g.Key.UserId, g.Key.Method, Touches: g.Count())).ToList();
        var goals = await db.Set<StaffPreference>().Where(p => p.WeeklyTouchGoal != null && (userId == null || p.UserId == userId))
            .ToDictionaryAsync(p => p.UserId, p => p.WeeklyTouchGoal, cancellationToken);
        var staff = await users.ListAsync(cancellationToken);
        var rows = staff
            .Where(u => u.Id == userId || (userId is null && (u.Roles.Contains(Roles.Liaison) || goals.ContainsKey(u.Id) || counts.Any(c => c.UserId == u.Id))))
            .Select(u =>
            {
                var mine = counts.Where(c => c.UserId == u.Id).Select(c => new MethodCount(c.Method, c.Touches))
                    .OrderByDescending(c => c.Touches).ThenBy(c => c.Method).ToList();
                return new LiaisonWeekRow(u.Id, UserNames.Display(u.DisplayName, u.Email), goals.GetValueOrDefault(u.Id), mine.Sum(c => c.Touches), mine);
            })
            .OrderBy(r => r.Name, StringComparer.CurrentCulture).ToList();
        return new LiaisonWeek(weekOf, day, rows);
    }

    /// <summary>
    /// Who made a touch, as the touch lists name them: the staff member its written "by" names (a
    /// colleague's name typed in, an imported name, an e-mail), else the user who logged it.
    /// </summary>
    private static string? MadeBy(StaffNameBook book, string? byName, string? byUserId) =>
        byName is not null ? book.Find(byName)?.UserId : book.Find(byUserId)?.UserId;

    /// <summary>Sets a staff member's weekly touch goal (null or 0 clears it). Admins and managers only, checked by the door.</summary>
    public async Task SetGoalAsync(string userId, int? goal, CancellationToken cancellationToken = default)
    {
        if (goal is < 0 or > MaxWeeklyGoal)
        {
            throw new ValidationException("goal", $"A weekly goal is between 1 and {MaxWeeklyGoal} touches (blank or 0 for none).");
        }
        _ = await users.FindAsync(userId, cancellationToken) ?? throw new NotFoundException($"User {userId}");
        var preference = await PreferenceAsync(userId, cancellationToken);
        preference.WeeklyTouchGoal = goal is 0 ? null : goal;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Each staff member's weekly goal, by user id (those with one).</summary>
    public Task<Dictionary<string, int>> GoalsAsync(CancellationToken cancellationToken = default) =>
        db.Set<StaffPreference>().Where(p => p.WeeklyTouchGoal != null).ToDictionaryAsync(p => p.UserId, p => p.WeeklyTouchGoal!.Value, cancellationToken);

    /// <summary>The sources table's columns this user shows (<see cref="Sources.SourceColumns"/>).</summary>
    public async Task<IReadOnlyList<string>> SourceColumnsAsync(string? userId, CancellationToken cancellationToken = default) =>
        userId is null ? Sources.SourceColumns.Default
            : Sources.SourceColumns.Parse(await db.Set<StaffPreference>().Where(p => p.UserId == userId).Select(p => p.SourceColumns).FirstOrDefaultAsync(cancellationToken));

    /// <summary>Remembers the sources table's columns for this user; unknown keys are dropped.</summary>
    public async Task<IReadOnlyList<string>> SaveSourceColumnsAsync(string userId, IEnumerable<string?> keys, CancellationToken cancellationToken = default)
    {
        var columns = Sources.SourceColumns.Normalize(keys);
        var preference = await PreferenceAsync(userId, cancellationToken);
        preference.SourceColumns = Sources.SourceColumns.Store(columns);
        await db.SaveChangesAsync(cancellationToken);
        return columns;
    }

    /// <summary>
    /// The method to start the touch form with: what this user most often used over their last
    /// <see cref="RecentTouches"/> touches (the most recent of equally frequent ones); without any,
    /// the source's preferred contact method; otherwise phone, as most calls are.
    /// </summary>
    public async Task<TouchSuggestion> SuggestMethodAsync(string? userId, int? sourceId, CancellationToken cancellationToken = default)
    {
        if (userId is not null)
        {
            var me = await db.Users.Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
            var (name, email) = (me?.DisplayName ?? "\0", me?.Email ?? "\0");
            var recent = await db.Touchpoints.Where(t => (t.ByUserId == userId && t.ByName == null) || t.ByName == name || t.ByName == email)
                .OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id).Take(RecentTouches)
                .Select(t => t.Method).ToListAsync(cancellationToken);
            if (recent.Count > 0)
            {
                var usual = recent.Select((method, index) => (method, index)).GroupBy(m => m.method)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(m => m.index)).First().Key;
                return new TouchSuggestion(usual, "your usual method");
            }
        }
        if (sourceId is not null
            && await db.Sources.Where(s => s.Id == sourceId).Select(s => s.PreferredContactMethod).FirstOrDefaultAsync(cancellationToken) is { } preferred)
        {
            return new TouchSuggestion(preferred, "the source's preferred contact method");
        }
        return new TouchSuggestion(TouchMethod.Phone, "the default");
    }

    private async Task<StaffPreference> PreferenceAsync(string userId, CancellationToken cancellationToken)
    {
        var preference = await db.Set<StaffPreference>().FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (preference is null)
        {
            preference = new StaffPreference { UserId = userId };
            db.Add(preference);
        }
        return preference;
    }
}
