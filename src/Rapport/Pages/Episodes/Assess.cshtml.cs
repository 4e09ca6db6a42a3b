using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Outcomes;
using Rapport.Outcomes.Instruments;
using Rapport.Pages.Shared;
using Rapport.Referrals;

namespace Rapport.Pages.Episodes;

/// <summary>
/// Item-by-item entry of one form, like the paper: one small numeric box per item in order, so a
/// clinician types a digit and tabs on. The score is computed by the catalogue on save.
/// </summary>
public sealed class AssessModel(ReferralService referrals, AssessmentService assessments, PracticeClock time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Instrument { get; set; }
    [BindProperty] public Timepoint? Timepoint { get; set; }
    [BindProperty] public DateOnly? AssessedOn { get; set; }
    [BindProperty] public int? VisitNumber { get; set; }
    [BindProperty] public List<string?> Items { get; set; } = [];
    [BindProperty] public List<string?> ItemNames { get; set; } = [];

    public ReferralSummary Episode { get; private set; } = null!;
    public Instrument Selected { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        AssessedOn = time.Today();
        var existing = await assessments.ListAsync(id, cancellationToken);
        var mine = existing.Where(a => a.Instrument == Selected.Code).ToList();
        Timepoint = mine.Count == 0 ? global::Rapport.Outcomes.Timepoint.Intake : Episode.DischargedOn is not null ? global::Rapport.Outcomes.Timepoint.Discharge : global::Rapport.Outcomes.Timepoint.Interim;
        // PSFS: the same activities are re-rated at follow-up, so the last form's names are offered again.
        ItemNames = [.. mine.LastOrDefault()?.ItemNames ?? []];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var answers = new List<int?>();
        var count = Selected.PatientNamesItems
            ? Math.Max(Selected.MinItems, Enumerable.Range(0, Selected.MaxItems).LastOrDefault(i => i < ItemNames.Count && !string.IsNullOrWhiteSpace(ItemNames[i]) || i < Items.Count && !string.IsNullOrWhiteSpace(Items[i]), -1) + 1)
            : Selected.MaxItems;
        for (var i = 0; i < count; i++)
        {
            var text = i < Items.Count ? Items[i]?.Trim() : null;
            if (string.IsNullOrEmpty(text))
            {
                answers.Add(null);
            }
            else if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                answers.Add(value);
            }
            else
            {
                ModelState.AddModelError($"Items[{i}]", $"Item {i + 1}: '{text}' is not a whole number.");
                answers.Add(null);
            }
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        try
        {
            var saved = await assessments.CreateAsync(id, new AssessmentInput
            {
                Instrument = Selected.Code, Timepoint = Timepoint, AssessedOn = AssessedOn, Answers = answers, ItemNames = ItemNames, VisitNumber = VisitNumber,
            }, cancellationToken);
            TempData["Notice"] = saved.Scorable
                ? $"{Selected.Name} saved: score {Outcomes.OutcomeDisplay.Number(saved.Score, "0.##")}."
                : $"{Selected.Name} saved, but not scorable under its missing-item rule.";
            return Redirect($"/Episodes/{id}");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "", renames: new Dictionary<string, string> { ["answers"] = nameof(Items) });
            return Page();
        }
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        if (await referrals.GetAsync(id, cancellationToken) is not { } episode)
        {
            return false;
        }
        // Without a chosen instrument the form opens on the episode's own (see InstrumentChoice), else the first in the catalogue.
        Instrument ??= InstrumentChoice.For(await assessments.ListAsync(id, cancellationToken), episode.BodyRegion, episode.Procedure)
            ?? InstrumentCatalog.All[0].Code;
        if (InstrumentCatalog.Find(Instrument) is not { } instrument)
        {
            return false;
        }
        Selected = instrument;
        Episode = episode;
        return true;
    }
}
