using System.CommandLine;

namespace Rapport.Cli;

public static class RapportCli
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Rapport: referral relationship management for outpatient physical therapy practices.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommands.Create());
        root.Subcommands.Add(ImportCommands.Create());
        root.Subcommands.Add(SourcesCommands.Create());
        root.Subcommands.Add(AlertsCommands.Create());
        root.Subcommands.Add(CallsCommands.Create());
        root.Subcommands.Add(OrgsCommands.Create());
        root.Subcommands.Add(UsersCommands.Create());
        root.Subcommands.Add(ApiKeysCommands.Create());
        root.Subcommands.Add(DbCommands.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(OutcomesCommands.Create());
        root.Subcommands.Add(NpsCommands.Create());
        root.Subcommands.Add(DigestCommands.Create());
        root.Subcommands.Add(ReportCommands.Create());
        root.Subcommands.Add(LettersCommands.Create());
        root.Subcommands.Add(ReferralsCommands.Create());
        root.Subcommands.Add(ExportCommands.Create());
        root.Subcommands.Add(RegistryCommands.Create());
        root.Subcommands.Add(CoverageCommands.Create());
        root.Subcommands.Add(ProspectsCommands.Create());
        root.Subcommands.Add(ChannelsCommands.Create());
        root.Subcommands.Add(CampaignsCommands.Create());
        // Configuration may follow any verb (e.g. --ConnectionStrings:Rapport=...), as in any .NET app.
        foreach (var command in root.Subcommands.SelectMany(Flatten))
        {
            command.TreatUnmatchedTokensAsErrors = false;
        }
        return root;
    }

    public static Task<int> RunAsync(string[] args) => CreateRoot().Parse(args).InvokeAsync();

    private static IEnumerable<Command> Flatten(Command command) => [command, .. command.Subcommands.SelectMany(Flatten)];
}
