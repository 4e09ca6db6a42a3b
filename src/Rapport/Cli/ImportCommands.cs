using System.CommandLine;

namespace Rapport.Cli;

public static class ImportCommands
{
    public static Command Create() => new("import", "Import sources, patients, referrals or touchpoints from CSV.");
}
