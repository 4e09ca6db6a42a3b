using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Pages.Campaigns;

/// <summary>The log form as posted: the shared touch fields, ticked targets, existing sources typed in, and new people.</summary>
public sealed class PeopleLogForm
{
    public DateOnly? OccurredOn { get; set; }
    public TouchMethod? Method { get; set; }
    public string? Purpose { get; set; }
    public string? ByName { get; set; }
    public List<int> TargetIds { get; set; } = [];
    public List<ExistingPersonRow> Existing { get; set; } = [];
    public List<NewPersonRow> NewPeople { get; set; } = [];
}

public sealed class ExistingPersonRow
{
    public string? Text { get; set; }
    public int? SourceId { get; set; }
    public string? Notes { get; set; }
}

public sealed class NewPersonRow
{
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Credential { get; set; }
    public string? Npi { get; set; }
    public string? PracticeName { get; set; }
    public string? Specialty { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Notes { get; set; }
}

/// <summary>
/// "Log the people we met" after an event: everyone gets one touch in the campaign, new people become sources
/// (status Prospect, NPI registry autofill). Works without script: fixed rows, more after each save; JS adds rows.
/// </summary>
public sealed partial class LogModel(CampaignService campaigns, SourceQueries sources) : PageModel
{
    public const int ExistingRows = 4;
    public const int NewRows = 5;

    [BindProperty] public PeopleLogForm Input { get; set; } = new();

    public CampaignDetails? Campaign { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is not { } entity)
        {
            return NotFound();
        }
        Input = new PeopleLogForm
        {
            OccurredOn = campaigns.DefaultLogDate(entity.StartsOn), Method = CampaignService.DefaultMethod(entity.Kind), Purpose = entity.Name,
        };
        Pad();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }
        // Each person of the service's list remembers the form row it came from, so a problem lands on that row.
        var people = new List<CampaignPersonInput>();
        var rows = new List<(string Key, string Label)>();
        foreach (var targetId in Input.TargetIds.Distinct())
        {
            people.Add(new CampaignPersonInput { SourceId = targetId });
            rows.Add(("Input.TargetIds", "Target"));
        }
        for (var i = 0; i < Input.Existing.Count; i++)
        {
            var row = Input.Existing[i];
            var sourceId = await Pickers.ResolveSourceAsync(sources, row.SourceId, row.Text, cancellationToken);
            if (sourceId is null && !string.IsNullOrWhiteSpace(row.Text))
            {
                ModelState.AddModelError($"Input.Existing[{i}].Text", $"Existing source {i + 1}: no single source matches '{row.Text}'. Pick one from the suggestions or type its NPI.");
                continue;
            }
            if (sourceId is null) continue;
            row.SourceId = sourceId;
            people.Add(new CampaignPersonInput { SourceId = sourceId, Notes = row.Notes });
            rows.Add(($"Input.Existing[{i}]", $"Existing source {i + 1}"));
        }
        for (var i = 0; i < Input.NewPeople.Count; i++)
        {
            var p = Input.NewPeople[i];
            var person = new CampaignPersonInput
            {
                FirstName = p.FirstName, LastName = p.LastName, Credential = p.Credential, Npi = p.Npi, PracticeName = p.PracticeName,
                Specialty = p.Specialty, Phone = p.Phone, Email = p.Email, Notes = p.Notes,
            };
            if (person.IsBlank) continue;
            people.Add(person);
            rows.Add(($"Input.NewPeople[{i}]", $"New person {i + 1}"));
        }
        if (ModelState.IsValid)
        {
            try
            {
                var result = await campaigns.LogPeopleAsync(id, new CampaignPeopleInput
                {
                    OccurredOn = Input.OccurredOn, Method = Input.Method, Purpose = Input.Purpose, ByName = Input.ByName, People = people,
                }, User.FindFirstValue(ClaimTypes.NameIdentifier), cancellationToken);
                TempData["Notice"] = Summary(result);
                return Redirect($"/Campaigns/{id}");
            }
            catch (ValidationException e)
            {
                foreach (var (field, messages) in e.Errors)
                {
                    var (key, label) = PersonField().Match(field) is { Success: true } m && int.Parse(m.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture) is var index
                        && index < rows.Count
                        ? (rows[index].Key == "Input.TargetIds" ? rows[index].Key : $"{rows[index].Key}.{char.ToUpperInvariant(m.Groups["f"].Value[0])}{m.Groups["f"].Value[1..]}", rows[index].Label)
                        : ($"Input.{char.ToUpperInvariant(field[0])}{field[1..]}", null);
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(key, label is null ? message : $"{label}: {PersonPrefix().Replace(message, "")}");
                    }
                }
            }
        }
        Pad();
        return Page();
    }

    private async Task<CampaignDetails?> LoadAsync(int id, CancellationToken cancellationToken) =>
        Campaign = await campaigns.GetAsync(id, cancellationToken);

    /// <summary>Blank rows after the filled ones, so more people fit without script.</summary>
    private void Pad()
    {
        while (Input.Existing.Count < ExistingRows) Input.Existing.Add(new ExistingPersonRow());
        Input.NewPeople = [.. Input.NewPeople.Where(p => new[] { p.FirstName, p.LastName, p.Credential, p.Npi, p.PracticeName, p.Specialty, p.Phone, p.Email, p.Notes }
            .Any(v => Formats.Clean(v) is not null))];
        var filled = Input.NewPeople.Count;
        for (var i = 0; i < Math.Max(NewRows - filled, 2); i++) Input.NewPeople.Add(new NewPersonRow());
    }

    public static string Summary(CampaignPeopleResult result)
    {
        var created = result.Touched.Count(t => t.SourceCreated);
        var text = $"Logged {result.Touched.Count} {(result.Touched.Count == 1 ? "touch" : "touches")} on {result.OccurredOn:yyyy-MM-dd}"
            + (created > 0 ? $", {created} new source{(created == 1 ? "" : "s")} added as {(created == 1 ? "a prospect" : "prospects")}." : ".");
        var notes = result.Touched.Select(t => t.Note).Concat(result.NotTouchedAgain.Select(t => t.Note)).Where(n => n is not null);
        return string.Join(" ", new[] { text }.Concat(notes!));
    }

    [GeneratedRegex(@"^people\[(?<i>\d+)\]\.(?<f>\w+)$")]
    private static partial Regex PersonField();

    [GeneratedRegex(@"^Person \d+: ")]
    private static partial Regex PersonPrefix();
}
