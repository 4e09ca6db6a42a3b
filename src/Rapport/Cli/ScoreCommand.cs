using System.CommandLine;
using System.Globalization;
using Rapport.Common;
using Rapport.Outcomes.Instruments;

namespace Rapport.Cli;

/// <summary><c>rapport score INSTRUMENT --answers "a1,a2,…"</c>: the catalogue's one scoring path, no database needed.</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var instrument = new Argument<string>("instrument") { Description = $"Instrument code: {string.Join(", ", InstrumentCatalog.All.Select(i => i.Code))}." };
        var answers = new Option<string>("--answers") { Description = "Answers in item order on the instrument's own scale, comma-separated; blank = missing (\"4,3,,2\").", Required = true };
        var format = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("score", "Score one outcome form with the instrument's published rule.") { instrument, answers, format };
        command.SetAction(parse =>
        {
            try
            {
                var score = InstrumentCatalog.Get(parse.GetValue(instrument)).Score(parse.GetValue(answers) ?? "");
                if (parse.GetValue(format) == OutputFormat.Json)
                {
                    Output.WriteJson(score);
                }
                else
                {
                    Output.WriteTable(["Field", "Value"], new[]
                    {
                        new string?[] { "Instrument", score.Name }, ["Score", score.Scorable ? Number(score.Score) : "not scorable"],
                        ["Raw", Number(score.Raw)], ["Answered", $"{score.Answered} ({score.Missing} missing)"],
                        ["Direction", score.Direction == ScoreDirection.HigherIsBetter ? "higher is better" : "higher is worse"],
                        ["MCID", Number(score.Mcid) ?? "not established"], ["Why not scorable", score.NotScorableReason],
                    });
                }
                return 0;
            }
            catch (ValidationException e)
            {
                foreach (var (field, problems) in e.Errors)
                {
                    foreach (var problem in problems)
                    {
                        Console.Error.WriteLine($"{field}: {problem}");
                    }
                }
                return 2;
            }
        });
        return command;
    }

    private static string? Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture);
}
