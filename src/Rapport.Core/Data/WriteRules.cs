using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Rapport.Common;

namespace Rapport.Data;

/// <summary>
/// The backstop behind the services' field rules: every added or modified Rapport entity is checked
/// against the model before it is written (text fits its column and has no NUL, stray control character
/// or unpaired surrogate; enums are defined; dates are not off the calendar), so no door that forgot a
/// check can store what the UI cannot show or PostgreSQL refuses with a 500 (22001, 22021).
/// </summary>
internal static class WriteRules
{
    public static void Check(ChangeTracker changes, DateOnly today)
    {
        var problems = new Problems();
        foreach (var entry in changes.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)
                || entry.Metadata.ClrType.Namespace?.StartsWith("Rapport", StringComparison.Ordinal) != true)
            {
                continue;
            }
            foreach (var property in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !property.IsModified)
                {
                    continue;
                }
                if (ProblemOf(property.Metadata, property.CurrentValue, today) is { } problem)
                {
                    var field = FieldRules.WireName(property.Metadata.Name);
                    problems.Add(field, $"{FieldRules.Label(field)} {problem}");
                }
            }
        }
        problems.ThrowIfAny();
    }

    private static string? ProblemOf(IProperty property, object? value, DateOnly today)
    {
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        return value switch
        {
            // Line breaks are left to the services' one-line rule: system columns (mail bodies, errors) hold them.
            string text => FieldRules.TextProblem(text, property.GetMaxLength() ?? int.MaxValue, multiLine: true),
            _ when type.IsEnum => FieldRules.EnumProblem(type, value),
            DateOnly date => FieldRules.DateProblem(date, FieldRules.EarliestDate, FieldRules.LatestDate(today).AddDays(1)),
            DateTime instant when instant.Year < FieldRules.EarliestDate.Year => $"must not be before {FieldRules.EarliestDate:yyyy-MM-dd}.",
            _ => null,
        };
    }
}

/// <summary>
/// Turns a unique-constraint violation from either database (SQLite 19/2067 or 19/1555, PostgreSQL 23505)
/// into a <see cref="ConflictException"/> naming the index's field and the value written. Two requests
/// that pass the services' "already exists" check at the same moment meet here.
/// </summary>
internal static class UniqueConflicts
{
    public static ConflictException? Translate(DbContext db, DbUpdateException e)
    {
        var index = e.InnerException switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => FindByName(db.Model, pg.ConstraintName),
            SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } lite => FindByColumns(db.Model, lite.Message),
            _ => null,
        };
        if (index is null && e.InnerException is not (PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
            or SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 }))
        {
            return null;
        }
        // The tenant column is part of most keys but never what the person typed.
        var property = index?.Properties.LastOrDefault(p => p.Name != "OrganizationId") ?? (index is { Properties.Count: > 0 } ? index.Properties[^1] : null);
        var entry = index is null ? null : e.Entries.FirstOrDefault(x => index.DeclaringEntityType.ClrType.IsAssignableFrom(x.Metadata.ClrType));
        var value = property is null || entry is null ? null : entry.Property(property.Name).CurrentValue?.ToString();
        var what = index is null ? "row" : Words(index.DeclaringEntityType.ClrType.Name);
        var field = property is null ? "id" : FieldRules.WireName(property.Name);
        var label = property is null ? "this key" : LabelOf(property.Name);
        return new ConflictException(field, value, value is null
            ? $"A {what} with the same {label} already exists."
            : $"A {what} with {label} {value} already exists.");
    }

    private static IIndex? FindByName(IModel model, string? name) =>
        name is null ? null : model.GetEntityTypes().SelectMany(t => t.GetIndexes()).FirstOrDefault(i => i.GetDatabaseName() == name);

    /// <summary>SQLite names columns, not the index: "UNIQUE constraint failed: ReferralSources.OrganizationId, ReferralSources.Npi".</summary>
    private static IIndex? FindByColumns(IModel model, string message)
    {
        var at = message.IndexOf("failed:", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var columns = message[(at + "failed:".Length)..].TrimEnd('\'', '.', ' ').Split(',', StringSplitOptions.TrimEntries);
        var table = columns[0].Split('.')[0];
        var names = columns.Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToArray();
        return model.GetEntityTypes().Where(t => t.GetTableName() == table).SelectMany(t => t.GetIndexes())
            .FirstOrDefault(i => i.IsUnique && i.Properties.Select(p => p.GetColumnName()).SequenceEqual(names));
    }

    private static string LabelOf(string property) => property switch
    {
        "Npi" => "NPI",
        "ExternalId" => "external id",
        _ => FieldRules.Label(property).ToLowerInvariant(),
    };

    private static string Words(string type) => type switch
    {
        "ReferralSource" => "source",
        "ReferralOut" => "refer-back",
        _ => FieldRules.Label(type).ToLowerInvariant(),
    };
}
