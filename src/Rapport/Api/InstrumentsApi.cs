using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Common;
using Rapport.Outcomes.Instruments;

namespace Rapport.Api;

/// <summary>The instrument catalogue as it leaves the app (the scoring delegate stays inside).</summary>
public sealed record InstrumentInfo(string Code, string Name, int MinItems, int MaxItems, int MinAnswer, int MaxAnswer, string AnswerScale,
    double ScoreMin, double ScoreMax, string ScoreUnit, string ScoringRule, string MissingItemRule, ScoreDirection Direction, double? Mcid,
    string McidSource, string? Loinc, string Citation, IReadOnlyList<string> ItemLabels, bool PatientNamesItems)
{
    public static InstrumentInfo From(Instrument i) => new(i.Code, i.Name, i.MinItems, i.MaxItems, i.MinAnswer, i.MaxAnswer, i.AnswerScale,
        i.ScoreMin, i.ScoreMax, i.ScoreUnit, i.ScoringRule, i.MissingItemRule, i.Direction, i.Mcid, i.McidSource, i.Loinc, i.Citation,
        i.ItemLabels, i.PatientNamesItems);
}

/// <summary>
/// Body of POST /instruments/{code}/score. <c>answers</c> is either an array in item order with
/// null for a missing item (<c>[4, 3, null, 2]</c>) or the CLI's text form (<c>"4,3,,2"</c>).
/// </summary>
public sealed record ScoreRequest(JsonElement Answers);

public static class InstrumentsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", () => TypedResults.Ok(InstrumentCatalog.All.Select(InstrumentInfo.From).ToList()))
            .WithSummary("The outcome instrument catalogue: items, answer range, scoring and missing-item rules, direction, MCID, LOINC, citation");

        group.MapPost("/{code}/score", Results<Ok<InstrumentScore>, ProblemHttpResult> (string code, ScoreRequest request) =>
            InstrumentCatalog.Find(code) is { } instrument
                ? TypedResults.Ok(instrument.Score(ReadAnswers(request.Answers)))
                : ApiProblems.NotFound($"Instrument '{code}' (use one of {string.Join(", ", InstrumentCatalog.All.Select(i => i.Code))})"))
            .WithSummary("Score one form with the instrument's published rule (the same path as the app and the CLI)")
            .WithDescription("answers: an array in item order with null for a missing item, or a string \"4,3,,2\" (blank = missing). "
                + "A form the missing-item rule cannot score returns scorable=false and score=null; invalid answers are a 400 on 'answers'.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Reads either answer form; non-whole numbers and other types are reported per item.</summary>
    internal static IReadOnlyList<int?> ReadAnswers(JsonElement answers)
    {
        switch (answers.ValueKind)
        {
            case JsonValueKind.String:
                return InstrumentAnswers.Parse(answers.GetString());
            case JsonValueKind.Array:
                var list = new List<int?>();
                var problems = new List<string>();
                foreach (var item in answers.EnumerateArray())
                {
                    switch (item.ValueKind)
                    {
                        case JsonValueKind.Null:
                            list.Add(null);
                            break;
                        case JsonValueKind.Number when item.TryGetInt32(out var value):
                            list.Add(value);
                            break;
                        case JsonValueKind.String when string.IsNullOrWhiteSpace(item.GetString()):
                            list.Add(null);
                            break;
                        default:
                            problems.Add($"Item {list.Count + 1}: {item.GetRawText()} is not a whole number.");
                            list.Add(null);
                            break;
                    }
                }
                if (problems.Count > 0)
                {
                    throw new ValidationException(new Dictionary<string, string[]> { ["answers"] = [.. problems] });
                }
                return list;
            default:
                throw new ValidationException("answers", "answers is required: an array of whole numbers (null for a missing item) or a string \"4,3,,2\".");
        }
    }
}
