using System.CommandLine;
using System.Security.Cryptography;
using Rapport.Organizations;
using Rapport.Tenancy;
using Rapport.Users;

namespace Rapport.Cli;

/// <summary>
/// `rapport orgs create|list`: set up a practice by script (the web first-run page does the same for
/// the first one). Creation is <see cref="OrganizationService.CreateAsync"/>, the one path for both.
/// </summary>
public static class OrgsCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The practice's name, e.g. \"Harbor Physical Therapy\".", Required = true };
        var slug = new Option<string?>("--slug") { Description = "Short name used by --org (lowercase letters, digits, hyphens); made from the name when left out." };
        var timeZone = new Option<string>("--time-zone") { Description = "The practice's IANA time zone, e.g. America/Los_Angeles.", DefaultValueFactory = _ => "UTC" };
        var clinic = new Option<string?>("--clinic") { Description = "Name of the first clinic; the practice's name when left out." };
        var adminEmail = new Option<string>("--admin-email") { Description = "E-mail of the practice's first administrator (their sign-in).", Required = true };
        var adminName = new Option<string?>("--admin-name") { Description = "The administrator's name as shown to staff." };
        var adminPassword = new Option<string?>("--admin-password")
        {
            Description = "The administrator's first password (12+ characters). Left out, a one-time link to choose one is printed instead.",
        };
        var create = new Command("create", "Create a practice with its first clinic and administrator.")
        {
            name, slug, timeZone, clinic, adminEmail, adminName, adminPassword,
        };
        create.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var current = services.GetRequiredService<CurrentOrganization>();
            current.Actor = $"cli:{Environment.UserName}";
            var password = parse.GetValue(adminPassword);
            // Without a password the admin chooses their own through a one-time link; the account gets a
            // random one nobody sees (the password rules still hold for it).
            var chosen = !string.IsNullOrEmpty(password);
            var practiceName = parse.GetValue(name)!;
            var (organization, admin) = await services.GetRequiredService<OrganizationService>().CreateAsync(practiceName, parse.GetValue(slug),
                parse.GetValue(clinic) ?? practiceName, parse.GetValue(adminEmail)!.Trim(), chosen ? password! : RandomPassword(), parse.GetValue(adminName),
                parse.GetValue(timeZone)!, ct);
            Console.WriteLine($"Created practice {organization.Name} (--org {organization.Slug}, id {organization.Id}, {organization.TimeZoneId}) "
                + $"with clinic '{parse.GetValue(clinic) ?? practiceName}' and administrator {admin.Email}.");
            if (!chosen)
            {
                var link = await services.GetRequiredService<UserAccounts>().CreateResetLinkAsync(admin.Email!, ct);
                Console.WriteLine($"Send the administrator this one-time link to choose a password: {link}");
            }
            return 0;
        }, cancellationToken));

        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "List the practices in this database.") { format };
        list.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var organizations = await services.GetRequiredService<OrganizationService>().AllAsync(ct);
            if (parse.GetValue(format) == "json")
            {
                Output.WriteJson(organizations.Select(o => new { o.Id, o.Slug, o.Name, timeZone = o.TimeZoneId, o.CreatedAt }));
            }
            else
            {
                Output.WriteTable(["Id", "Slug", "Name", "Time zone", "Created"], organizations.Select(o => new[]
                {
                    o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), o.Slug, o.Name, o.TimeZoneId, o.CreatedAt.ToString("u"),
                }));
            }
            return 0;
        }, cancellationToken));

        return new Command("orgs", "Create and list practices (organizations).") { create, list };
    }

    private static string RandomPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}
