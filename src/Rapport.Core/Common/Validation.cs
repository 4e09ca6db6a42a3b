namespace Rapport.Common;

/// <summary>
/// Raised by feature services when input breaks a business rule. Each entry maps a field name
/// (camelCase, as on the wire) to the problems with it, so the UI, the API (ValidationProblem)
/// and the CLI can all name the exact field.
/// </summary>
public class ValidationException(IReadOnlyDictionary<string, string[]> errors, string? message = null)
    : Exception(message ?? string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public ValidationException(string field, string problem)
        : this(new Dictionary<string, string[]> { [field] = [problem] }) { }
}

/// <summary>
/// A write that would repeat a unique key (an NPI, an external id, a clinic name), found by a service's check
/// or by the database's unique index when two requests race. A field problem, so pages show it on the field;
/// the API answers 409 and the CLI exits 1, naming <see cref="Field"/> and <see cref="Value"/>.
/// </summary>
public sealed class ConflictException(string field, string? value, string message)
    : ValidationException(new Dictionary<string, string[]> { [field] = [message] }, message)
{
    /// <summary>camelCase, as on the wire.</summary>
    public string Field { get; } = field;
    public string? Value { get; } = value;
}

/// <summary>Raised when an id does not name a row the caller's organization can see.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>Collects field problems and throws them together, so a form shows every mistake at once.</summary>
public sealed class Problems
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string problem)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(problem);
    }

    public void Required(string field, string? value, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{label} is required.");
        }
    }

    public void NotInFuture(string field, DateOnly? value, DateOnly today, string label)
    {
        if (value is { } date && date > today)
        {
            Add(field, $"{label} cannot be in the future ({date:yyyy-MM-dd} is after {today:yyyy-MM-dd}).");
        }
    }

    public void NotBefore(string field, DateOnly? value, DateOnly? earlier, string label, string earlierLabel)
    {
        if (value is { } later && earlier is { } first && later < first)
        {
            Add(field, $"{label} ({later:yyyy-MM-dd}) cannot be before {earlierLabel} ({first:yyyy-MM-dd}).");
        }
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new ValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
