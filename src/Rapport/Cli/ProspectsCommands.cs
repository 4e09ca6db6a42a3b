using System.CommandLine;
using System.Globalization;
using Rapport.Api;
using Rapport.Common;
using Rapport.Prospects;
using Rapport.Users;

namespace Rapport.Cli;

public enum ProspectFormat { Table, Json, Csv }

/// <summary>
/// <c>rapport prospects --clinic ID|NAME --specialty … --radius 10 --format table|json|csv</c> and
/// <c>rapport prospects add NPI --clinic … [--owner EMAIL] [--cadence DAYS]</c>: the prospects page's list and
/// its "Add as prospect", with the same rows, score and checks.
/// </summary>
public static class ProspectsCommands
{
    public static Command Create()
    {
        var clinic = new Option<string?>("--clinic") { Description = "The clinic, by id or name (default: the first clinic)." };
        var specialty = new Option<string[]>("--specialty")
        {
            Description = "A specialty group (\"Orthopaedic surgery\") or a preset (orthopaedics, pelvic-health, neuro-rehab, paediatrics, podiatry, pain-management, "
                + "primary-care); repeat it or separate with ';'. Default: the clinic's niche preset.",
            AllowMultipleArgumentsPerToken = false,
        };
        var radius = new Option<double?>("--radius") { Description = "Miles around the clinic's ZIP point, 1–100 (default 10)." };
        var format = new Option<ProspectFormat>("--format") { Description = "table, json or csv (every row has its NPI and distance in miles).", DefaultValueFactory = _ => ProspectFormat.Table };
        var limit = new Option<int?>("--limit") { Description = "At most this many rows (table default 50; json and csv: all)." };
        var command = new Command("prospects", "Physicians in the NPI registry near a clinic, in the specialties that send it patients, who are not sources yet — best first.")
        {
            clinic, specialty, radius, format, limit, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var result = await services.GetRequiredService<ProspectSearch>().SearchAsync(new ProspectQuery
            {
                Clinic = parse.GetValue(clinic),
                Specialties = ProspectQuery.SplitSpecialties(parse.GetValue(specialty) ?? []),
                RadiusMiles = parse.GetValue(radius),
            }, ct);
            if (result.Note is { } note)
            {
                Console.Error.WriteLine(note);
            }
            var rows = result.Rows.AsEnumerable();
            switch (parse.GetValue(format))
            {
                case ProspectFormat.Json:
                    Output.WriteJson(ProspectListResponse.From(result, parse.GetValue(limit)));
                    break;
                case ProspectFormat.Csv:
                    using (var stdout = Console.OpenStandardOutput())
                    {
                        TableFile.Write(new Sheet("Prospects", ProspectsExport.Columns, rows.Take(parse.GetValue(limit) ?? int.MaxValue).Select(ProspectsExport.Cells)),
                            TableFormat.Csv, stdout);
                    }
                    break;
                default:
                    var shown = parse.GetValue(limit) ?? 50;
                    Output.WriteTable(["#", "NPI", "Name", "Specialty", "Address", "Phone", "Miles", "Group", "Referring colleagues", "Score"],
                        rows.Take(shown).Select(r => (IReadOnlyList<string?>)
                        [
                            r.Rank.ToString(CultureInfo.InvariantCulture), r.Npi, string.IsNullOrEmpty(r.Credential) ? r.Name : $"{r.Name}, {r.Credential}", r.Specialty,
                            r.Address, Formats.NormalizePhone(r.Phone) ?? r.Phone, r.DistanceMiles.ToString("0.0", CultureInfo.InvariantCulture),
                            r.GroupSize.ToString(CultureInfo.InvariantCulture), string.Join(", ", r.ReferringColleagues),
                            r.Score.Total.ToString("0.0", CultureInfo.InvariantCulture),
                        ]));
                    Console.WriteLine($"{result.Rows.Count} prospects in {string.Join(" + ", result.Specialties)} within "
                        + $"{result.RadiusMiles.ToString("0.#", CultureInfo.InvariantCulture)} miles of {result.ClinicName}"
                        + (result.Rows.Count > shown ? $"; the first {shown} shown (--limit, or --format csv for all)." : "."));
                    break;
            }
            return 0;
        }, cancellationToken));
        command.Subcommands.Add(AddCommand());
        return command;
    }

    private static Command AddCommand()
    {
        var npi = new Argument<string>("NPI") { Description = "The registry physician's NPI." };
        var clinic = new Option<string?>("--clinic") { Description = "The clinic the new source works with, by id or name.", Required = true };
        var owner = new Option<string?>("--owner") { Description = "The relationship owner's e-mail (a user of the practice); default: unassigned." };
        var cadence = new Option<int?>("--cadence") { Description = "Days between touches (default: the practice's prospect cadence)." };
        var command = new Command("add", "Add a registry physician as a source with status Prospect, filled from the registry; a first touch goes on the owner's call list.")
        {
            npi, clinic, owner, cadence, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var theClinic = await services.GetRequiredService<ProspectSearch>().ClinicAsync(parse.GetValue(clinic), ct);
            string? ownerId = null;
            if (parse.GetValue(owner) is { } email)
            {
                var users = await services.GetRequiredService<UserDirectory>().ListAsync(ct);
                ownerId = users.FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase))?.Id
                    ?? throw new ValidationException("owner", $"No user of this practice has the e-mail {email}.");
            }
            var source = await services.GetRequiredService<ProspectIntake>().AddAsync(new ProspectAddInput
            {
                Npi = parse.GetValue(npi) ?? "", ClinicId = theClinic.Id, OwnerUserId = ownerId, TouchCadenceDays = parse.GetValue(cadence),
            }, ct);
            Console.WriteLine($"Added {source.DisplayName} (NPI {source.Npi}) as a prospect, source {source.Id}, clinic {theClinic.Name}.");
            return 0;
        }, cancellationToken));
        return command;
    }
}
