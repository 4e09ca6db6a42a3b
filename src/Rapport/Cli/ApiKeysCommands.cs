using System.CommandLine;
using Rapport.ApiKeys;

namespace Rapport.Cli;

public static class ApiKeysCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. \"EMR sync\".", Required = true };
        var create = new Command("create", "Create an API key; the key is printed once.") { name, CliHost.OrgOption };
        create.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var created = await services.GetRequiredService<ApiKeyService>().CreateAsync(parse.GetValue(name)!, $"cli:{Environment.UserName}", ct);
            Console.Error.WriteLine($"Created API key '{created.Key.Name}' (id {created.Key.Id}). Store it now; it is not shown again:");
            Console.WriteLine(created.Secret);
            return 0;
        }, cancellationToken));

        var list = new Command("list", "List API keys.") { CliHost.OrgOption };
        list.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var keys = await services.GetRequiredService<ApiKeyService>().ListAsync(ct);
            Output.WriteTable(["Id", "Name", "Prefix", "Created", "Last used", "Revoked"], keys.Select(k => new[]
            {
                k.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), k.Name, k.Prefix + "…", k.CreatedAt.ToString("u"),
                k.LastUsedAt?.ToString("u"), k.RevokedAt?.ToString("u"),
            }));
            return 0;
        }, cancellationToken));

        var id = new Argument<int>("id") { Description = "The key's id." };
        var revoke = new Command("revoke", "Revoke an API key.") { id, CliHost.OrgOption };
        revoke.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            await services.GetRequiredService<ApiKeyService>().RevokeAsync(parse.GetValue(id), ct);
            Console.WriteLine($"Revoked API key {parse.GetValue(id)}.");
            return 0;
        }, cancellationToken));

        return new Command("apikeys", "Manage API keys for the JSON API.") { create, list, revoke };
    }
}
