using System.CommandLine;
using Rapport.Api;
using Rapport.Common;
using Rapport.Registry;

namespace Rapport.Cli;

/// <summary><c>rapport registry show NPI</c> (and <c>generate</c>, <c>groups</c> from <see cref="NppesCommands"/>): what the NPI registry holds for an NPI and what a new source with it is filled with.</summary>
public static class RegistryCommands
{
    public static Command Create()
    {
        var npi = new Argument<string>("npi") { Description = "A ten-digit NPI." };
        var format = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var show = new Command("show", "Look an NPI up in the NPI registry: status (found, deactivated, missing, not found) and the source fields it fills.") { npi, format };
        // The registry is public data shared by every practice, so no --org is needed.
        show.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var text = parse.GetValue(npi)!.Trim();
            if (!Formats.IsValidNpi(text))
            {
                throw new CliException($"'{text}' is not a valid NPI: ten digits whose last digit is the Luhn check digit.");
            }
            var result = await services.GetRequiredService<RegistryLookup>().FindAsync(text, ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Output.WriteJson(RegistryLookupResponse.From(result));
            }
            else
            {
                Console.Out.WriteLine(result.Message);
                if (result.Fields is { } f)
                {
                    Output.WriteTable(["Field", "Value"], new[]
                    {
                        new[] { "First name", f.FirstName }, ["Last name", f.LastName], ["Credential", f.Credential],
                        ["Specialty", f.SpecialtyName is null ? null : $"{f.SpecialtyName} ({f.TaxonomyCode})"], ["Practice", f.PracticeName],
                        ["Address", f.AddressLine], ["City", f.City], ["State", f.State], ["ZIP", f.Zip], ["Phone", f.Phone], ["Fax", f.Fax],
                        ["Last updated", Output.Iso(result.Provider?.LastUpdateDate)],
                    });
                }
            }
            return result.Provider is null ? 1 : 0;
        }, cancellationToken));
        var registry = new Command("registry", "The public NPI registry (NPPES) imported with rapport import nppes: look an NPI up, list the taxonomy groups, generate files in its layout.") { show };
        foreach (var tool in NppesCommands.CreateFileTools())
        {
            registry.Subcommands.Add(tool);
        }
        return registry;
    }
}
