using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Rapport.Data;
using Rapport.Tenancy;

namespace Rapport.Common;

/// <summary>
/// Marks a text column that may hold line breaks and tabs (notes, comments, message bodies). Every other
/// text column is one line: no control character at all.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MultiLineTextAttribute : Attribute;

/// <summary>
/// The field rules every door shares (API, pages, CLI, CSV import), so that what one door refuses no other
/// door stores: text fits its column (lengths come from the EF model, the one place they are declared), has
/// no control characters (tab and line breaks only in multi-line fields; NUL never) and no unpaired UTF-16
/// surrogates (PostgreSQL refuses both, SQLite would store them); enums are defined values; dates fall
/// between <see cref="EarliestDate"/> and a year after the practice's today. Feature services run
/// <see cref="Check{TEntity}"/> on their input records in their static <c>Check</c> (which the import calls
/// per row), and <see cref="RapportDbContext"/> re-checks every written entity against the model as a backstop.
/// </summary>
public static class FieldRules
{
    /// <summary>The earliest date any field accepts: no patient, referral or touch predates it.</summary>
    public static readonly DateOnly EarliestDate = PracticeClock.EarliestAsOf;

    /// <summary>The latest date a field accepts unless it has a tighter rule (appointments and follow-ups are planned up to a year ahead).</summary>
    public static DateOnly LatestDate(DateOnly today) => today.AddYears(1);

    /// <summary>Text without a column of its own (search boxes, names resolved to ids) still has a ceiling.</summary>
    public const int DefaultMaxLength = 1000;

    /// <summary>The problem with a text value, or null when it is acceptable. Length counts the trimmed text, as stored.</summary>
    public static string? TextProblem(string? value, int? maxLength, bool multiLine)
    {
        if (value is null)
        {
            return null;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return "must not contain a NUL character (U+0000).";
            }
            if (char.IsControl(c) && !(multiLine && c is '\t' or '\n' or '\r'))
            {
                return multiLine
                    ? $"must not contain the control character U+{(int)c:X4} (only tabs and line breaks are allowed)."
                    : $"must be one line of text without control characters (found U+{(int)c:X4}).";
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "is not valid Unicode text (an unpaired surrogate).";
            }
        }
        var length = value.AsSpan().Trim().Length;
        return length > (maxLength ?? DefaultMaxLength)
            ? $"is {length} characters long; at most {maxLength ?? DefaultMaxLength} are allowed."
            : null;
    }

    public static void Text(Problems problems, string field, string? value, int? maxLength, bool multiLine = false)
    {
        if (TextProblem(value, maxLength, multiLine) is { } problem)
        {
            problems.Add(field, $"{Label(field)} {problem}");
        }
    }

    /// <summary>An enum value must be one of its names (JSON numbers are refused earlier; a C# caller or a cast can still make 99).</summary>
    public static string? EnumProblem(Type enumType, object? value) =>
        value is null || Enum.IsDefined(enumType, value) ? null : $"must be one of {string.Join(", ", Enum.GetNames(enumType))}.";

    public static string? DateProblem(DateOnly? value, DateOnly earliest, DateOnly latest) =>
        value is { } date && (date < earliest || date > latest)
            ? $"must be between {earliest:yyyy-MM-dd} and {latest:yyyy-MM-dd} (was {date:yyyy-MM-dd})."
            : null;

    public static void Date(Problems problems, string field, DateOnly? value, DateOnly today)
    {
        if (DateProblem(value, EarliestDate, LatestDate(today)) is { } problem)
        {
            problems.Add(field, $"{Label(field)} {problem}");
        }
    }

    /// <summary>
    /// Applies the text, enum and date rules to every public property of an input record that fills
    /// <typeparamref name="TEntity"/>: a property's length limit and multi-line flag are those of the
    /// entity property of the same name. Problems name the field in camelCase, as on the wire.
    /// </summary>
    /// <param name="today">The practice's today, for the upper date bound; null for an input without dates.</param>
    /// <param name="normalized">Properties the service rewrites before storing ("Male" → "M", phone formats): their raw
    /// text gets the general ceiling, not the column's length, which the SaveChanges backstop checks on the stored value.</param>
    public static void Check<TEntity>(object input, DateOnly? today, Problems problems, params string[] normalized)
    {
        foreach (var field in FieldsOf(input.GetType(), typeof(TEntity)))
        {
            var value = field.Property.GetValue(input);
            var problem = field.Kind switch
            {
                FieldKind.Text => TextProblem((string?)value, normalized.Contains(field.Property.Name) ? null : field.MaxLength, field.MultiLine),
                FieldKind.Enum => EnumProblem(field.EnumType!, value),
                FieldKind.Date => DateProblem((DateOnly?)value, EarliestDate, today is { } day ? LatestDate(day) : DateOnly.MaxValue),
                _ => null,
            };
            if (problem is not null)
            {
                problems.Add(field.Name, $"{Label(field.Name)} {problem}");
            }
        }
    }

    /// <summary>The longest text an entity's column holds, from the EF model; null when unbounded.</summary>
    public static int? MaxLengthOf<TEntity>(string property) => MaxLengthOf(typeof(TEntity), property);

    public static int? MaxLengthOf(Type entity, string property) =>
        DesignModel.Value.FindEntityType(entity)?.FindProperty(property)?.GetMaxLength();

    public static bool IsMultiLine(Type entity, string property) =>
        entity.GetProperty(property)?.IsDefined(typeof(MultiLineTextAttribute), inherit: true) == true;

    /// <summary>"lastName" → "Last name": the message reads on its own in a CLI line or an import error.</summary>
    public static string Label(string field)
    {
        var words = new System.Text.StringBuilder(field.Length + 4);
        foreach (var c in field)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : c);
            }
        }
        return words.ToString();
    }

    public static string WireName(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);

    private enum FieldKind { Text, Enum, Date, Other }

    private sealed record Field(PropertyInfo Property, string Name, FieldKind Kind, int? MaxLength, bool MultiLine, Type? EnumType);

    private static readonly ConcurrentDictionary<(Type Input, Type Entity), Field[]> Fields = new();

    private static Field[] FieldsOf(Type input, Type entity) => Fields.GetOrAdd((input, entity), key =>
    [
        .. key.Input.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).Select(p =>
        {
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var kind = type == typeof(string) ? FieldKind.Text : type.IsEnum ? FieldKind.Enum : type == typeof(DateOnly) ? FieldKind.Date : FieldKind.Other;
            return new Field(p, WireName(p.Name), kind, kind == FieldKind.Text ? MaxLengthOf(key.Entity, p.Name) : null,
                IsMultiLine(key.Entity, p.Name), type.IsEnum ? type : null);
        }).Where(f => f.Kind != FieldKind.Other),
    ]);

    /// <summary>
    /// The EF model, built once without a database so static rules (the import's per-row check) read the
    /// same lengths as the context. Lengths do not depend on the provider.
    /// </summary>
    private static readonly Lazy<IModel> DesignModel = new(() =>
    {
        var options = new DbContextOptionsBuilder<RapportDbContext>().UseSqlite("Data Source=:memory:").Options;
#pragma warning disable RS0030 // Never read: the context is built only to obtain its model.
        using var context = new RapportDbContext(options, new CurrentOrganization(), TimeProvider.System);
#pragma warning restore RS0030
        return context.Model;
    });
}
