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

        var who = new Argument<string>("EMAIL") { Description = "The user's e-mail (sign-in name)." };
        var disable = new Command("disable", "Deactivate a user: they cannot sign in, and any session they hold ends at once.") { who, CliHost.OrgOption };
        disable.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var user = await services.GetRequiredService<UserAccounts>().DisableAsync(parse.GetValue(who)!, actingUserId: null, ct);
            Console.WriteLine($"Deactivated {user.Email}; their sessions have ended.");
            return 0;
        }, cancellationToken));

        var enableWho = new Argument<string>("EMAIL") { Description = "The user's e-mail (sign-in name)." };
        var enable = new Command("enable", "Reactivate a deactivated user.") { enableWho, CliHost.OrgOption };
        enable.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var user = await services.GetRequiredService<UserAccounts>().EnableAsync(parse.GetValue(enableWho)!, ct);
            Console.WriteLine($"Reactivated {user.Email}.");
            return 0;
        }, cancellationToken));

        var roleWho = new Argument<string>("EMAIL") { Description = "The user's e-mail (sign-in name)." };
        var newRole = new Argument<string>("ROLE") { Description = $"One of {string.Join(", ", Roles.All)}." };
        var setRole = new Command("set-role", "Give a user another role (the practice keeps at least one active admin).") { roleWho, newRole, CliHost.OrgOption };
        setRole.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var user = await services.GetRequiredService<UserAccounts>().SetRoleAsync(parse.GetValue(roleWho)!, parse.GetValue(newRole)!, ct);
            Console.WriteLine($"{user.Email} is now {Roles.Normalize(parse.GetValue(newRole))}.");
            return 0;
        }, cancellationToken));

        var resetWho = new Argument<string>("EMAIL") { Description = "The user's e-mail (sign-in name)." };
        var newPassword = new Option<string?>("--password") { Description = "Set this password now instead of printing a reset link (the user's sessions end)." };
        var reset = new Command("reset-password", "Print a one-time link (24 hours) for the user to choose a new password, or set one with --password.") { resetWho, newPassword, CliHost.OrgOption };
        reset.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var accounts = services.GetRequiredService<UserAccounts>();
            if (parse.GetValue(newPassword) is { } chosen)
            {
                await accounts.SetPasswordAsync(parse.GetValue(resetWho)!, chosen, ct);
                Console.WriteLine($"Password set for {parse.GetValue(resetWho)}; their sessions have ended.");
                return 0;
            }
            var link = await accounts.CreateResetLinkAsync(parse.GetValue(resetWho)!, ct);
            Console.WriteLine(link);
            if (!services.GetRequiredService<Rapport.Email.PublicAddress>().IsConfigured)
            {
                Console.Error.WriteLine("PublicUrl is not set, so the link starts with a guessed address; replace it with the address staff open Rapport at.");
            }
            return 0;
        }, cancellationToken));

        return new Command("users", "Manage staff accounts.") { add, list, disable, enable, setRole, reset };
    }
}
