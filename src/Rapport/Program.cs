using Rapport.Cli;

// One executable, many verbs: `rapport serve` runs the web app; the other verbs run the same
// feature services from the command line (see Cli/RapportCli.cs).
return await RapportCli.RunAsync(args);

public partial class Program;
