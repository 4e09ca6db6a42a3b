#:project ../src/Rapport.Core/Rapport.Core.csproj
#:property PublishAot=false
// Times SourceQueries.ListAsync in-process (no process start in the figure): page 1 of 50 with
// the default sort, and sorted by referrals in the last 12 months, descending. One warm-up run,
// then the median of N.
//
//   dotnet run bench/list-query.cs -- "Data Source=/tmp/rapport-large.db" [runs] [sqlite|postgres]
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport;
using Rapport.Data;
using Rapport.Sources;
using Rapport.Tenancy;

var connectionString = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: list-query.cs <connection string> [runs] [provider]");
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Rapport"] = connectionString,
    ["Database:Provider"] = args.Length > 2 ? args[2] : "sqlite",
}).Build();
await using var services = new ServiceCollection().AddLogging().AddRapportCore(configuration).BuildServiceProvider();

int organizationId;
await using (var scope = services.CreateAsyncScope())
{
    organizationId = await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Organizations.OrderBy(o => o.Id).Select(o => o.Id).FirstAsync();
}

foreach (var (label, query) in new[]
{
    ("page 1, default sort (name)", new SourceListQuery()),
    ("page 1, Referrals12m desc", new SourceListQuery { Sort = SourceSort.Referrals12m, Descending = true }),
    ("page 1, ActivePatients desc", new SourceListQuery { Sort = SourceSort.ActivePatients, Descending = true }),
    ("page 1, DaysSinceTouch desc", new SourceListQuery { Sort = SourceSort.DaysSinceTouch, Descending = true }),
    ("page 1, search \"house\"", new SourceListQuery { Search = "house" }),
})
{
    var times = new List<double>();
    for (var run = 0; run <= runs; run++)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(organizationId);
        var stopwatch = Stopwatch.StartNew();
        var page = await scope.ServiceProvider.GetRequiredService<SourceQueries>().ListAsync(query);
        stopwatch.Stop();
        if (run > 0)
        {
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        if (run == runs)
        {
            times.Sort();
            Console.WriteLine($"  {label,-30} median {times[times.Count / 2],8:F0} ms  (runs: {string.Join(" ", times.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}; {page.Total} sources, first: {page.Items[0].Name})");
        }
    }
}
