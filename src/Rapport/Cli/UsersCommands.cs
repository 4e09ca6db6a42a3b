using System.CommandLine;
using System.Security.Cryptography;
using Rapport.Users;

namespace Rapport.Cli;

public static class UsersCommands
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The user's e-mail, also their sign-in name.", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}.", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name, shown wherever the app names the user (default: the e-mail)." };
        var credentials = new Option<string?>("--credentials") { Description = "Professional credentials added after the name where the user signs, e.g. \"PT, DPT\"." };
        var password = new Option<string?>("--password") { Description = "Initial password (default: a random one, printed once)." };
        var add = new Command("add", "Add a user to a practice.") { email, role, name, credentials, password, CliHost.OrgOption };
        add.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var chosen = parse.GetValue(password) ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', 'x').Replace('+', 'y');
            var user = await services.GetRequiredService<UserDirectory>().AddAsync(parse.GetValue(email)!, chosen, parse.GetValue(role)!, parse.GetValue(name),
                parse.GetValue(credentials));
            Console.WriteLine($"Added {UserNames.Signature(user.DisplayName, user.Credentials, user.Email)} ({user.Email}) as {Roles.Normalize(parse.GetValue(role))}.");
            if (parse.GetValue(password) is null)
            {
                Console.WriteLine($"Initial password: {chosen}");
            }
            return 0;
        }, cancellationToken));

        var list = new Command("list", "List the users of a practice.") { CliHost.OrgOption };
        list.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var users = await services.GetRequiredService<UserDirectory>().ListAsync(ct);
            Output.WriteTable(["E-mail", "Name", "Credentials", "Roles"], users.Select(u => new[] { u.Email, u.Name, u.Credentials, string.Join(", ", u.Roles) }));
            return 0;
        }, cancellationToken));

        return new Command("users", "Manage staff accounts.") { add, list };
    }
}
