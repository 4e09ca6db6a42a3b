using Microsoft.AspNetCore.Http.Extensions;
using Rapport.Common;

namespace Rapport.Pages.Shared;

/// <summary>The links of <c>_Downloads.cshtml</c>: the export of a list with the filters the page has in its address.</summary>
public static class Downloads
{
    /// <summary>Parameters of the page that are not filters: which page of the list, which handler, and the format itself.</summary>
    private static readonly HashSet<string> NotFilters = new(StringComparer.OrdinalIgnoreCase) { "page", "handler", "format" };

    public static string Link(HttpRequest request, string kind, TableFormat format)
    {
        var query = new QueryBuilder { { "format", TableFile.Extension(format) } };
        foreach (var (name, values) in request.Query.Where(q => !NotFilters.Contains(q.Key)))
        {
            foreach (var value in values.Where(v => !string.IsNullOrEmpty(v)))
            {
                query.Add(name, value!);
            }
        }
        return $"/Export/{Uri.EscapeDataString(kind)}{query.ToQueryString()}";
    }

    /// <summary>A request's query string as export filters (the last value of a repeated name wins, as a page's binding does).</summary>
    public static IReadOnlyDictionary<string, string?> Filters(IQueryCollection query) =>
        query.Where(q => !NotFilters.Contains(q.Key)).ToDictionary(q => q.Key, q => (string?)q.Value.LastOrDefault(v => !string.IsNullOrEmpty(v)), StringComparer.OrdinalIgnoreCase);
}
