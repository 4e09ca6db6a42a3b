#:project ../src/Rapport.Core/Rapport.Core.csproj
#:property PublishAot=false
// Stopwatch sections of `rapport import nppes` without a database: read + parse, + record checks,
// + filter, + materialising the kept rows. Shows where the time of an import goes (CPU seconds too,
// since a shared machine's wall clock says little).
//
//   dotnet run -c Release bench/nppes-parse.cs -- FILE [states] [groups]
using System.Diagnostics;
using Rapport.Registry.Nppes;

var path = args[0];
var filter = NppesFilter.Create(args.Length > 1 ? args[1] : "CA,NV,AZ,OR,WA", args.Length > 2 ? args[2] : "pt-referrers", false);
foreach (var stage in new[] { "parse", "check", "filter", "materialise" })
{
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
    using var reader = new NppesReader(stream);
    reader.Read();
    var header = Enumerable.Range(0, reader.FieldCount).Select(i => reader.Text(i) ?? "").ToList();
    var layout = NppesLayout.FromHeader(header, out _)!;
    long records = 0, kept = 0, bad = 0;
    while (reader.Read() is var status && status != NppesRecordStatus.End)
    {
        records++;
        if (stage == "parse")
        {
            continue;
        }
        if (status == NppesRecordStatus.Malformed || NppesRecords.Problem(reader, layout) is not null)
        {
            bad++;
            continue;
        }
        if (stage == "check")
        {
            continue;
        }
        if (NppesImporter.Classify(reader, layout, filter) is { } action)
        {
            kept++;
            if (stage == "materialise")
            {
                _ = action == RowAction.Upsert ? NppesRecords.ToProvider(reader, layout, DateTime.UnixEpoch) : NppesRecords.ToDeactivation(reader, layout, DateTime.UnixEpoch);
            }
        }
    }
    process.Refresh();
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"{stage,-12} {records:N0} records, {kept:N0} kept, {bad:N0} bad: {seconds:N2} s wall ({records / seconds:N0} rows/s), {(process.TotalProcessorTime - cpu).TotalSeconds:N2} s CPU ({records / (process.TotalProcessorTime - cpu).TotalSeconds:N0} rows/s)");
}
