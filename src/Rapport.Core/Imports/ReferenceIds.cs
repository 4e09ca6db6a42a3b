namespace Rapport.Imports;

/// <summary>
/// Ids of rows an import refers to by their key (sources by NPI, patients by external id), looked
/// up chunk by chunk for the keys not met before and remembered — found or not — so a file naming
/// the same few thousand sources a million times asks for each once. Bounded: past
/// <paramref name="capacity"/> keys it starts over, trading a few repeated look-ups for memory that
/// does not grow with the practice. The rows referred to are not changed by the import, so what
/// was looked up stays true for its duration.
/// </summary>
internal sealed class ReferenceIds(Func<string[], CancellationToken, Task<List<KeyValuePair<string, int>>>> lookUp, int capacity = 250_000)
{
    private readonly Dictionary<string, int?> known = new(StringComparer.Ordinal);

    public async Task LoadAsync(IReadOnlyList<ImportRow> rows, string column, int lookupSize, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Has(column) && row.Text(column) is { } key)
            {
                wanted.Add(key);
            }
        }
        if (known.Count + wanted.Count > capacity)
        {
            known.Clear();
        }
        wanted.RemoveWhere(known.ContainsKey);
        foreach (var keys in wanted.Chunk(lookupSize))
        {
            foreach (var (key, id) in await lookUp(keys, cancellationToken))
            {
                known[key] = id;
            }
            foreach (var key in keys)
            {
                known.TryAdd(key, null);
            }
        }
    }

    public bool TryGet(string key, out int id)
    {
        id = 0;
        if (known.TryGetValue(key, out var found) && found is { } value)
        {
            id = value;
            return true;
        }
        return false;
    }
}
