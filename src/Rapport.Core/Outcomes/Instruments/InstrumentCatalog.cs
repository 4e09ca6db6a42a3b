using System.Globalization;
using Rapport.Common;

namespace Rapport.Outcomes.Instruments;

/// <summary>
/// The instruments the practice can score, each defined once from its published rule
/// (see shared REFERENCES.md; sources cited on each definition). Codes are matched case-insensitively.
/// </summary>
public static class InstrumentCatalog
{
    public static IReadOnlyList<Instrument> All { get; } =
    [
        Lefs(), Odi(), Ndi(), QuickDash(), QuickDashModule("quickdash-work", "QuickDASH Work module", "work"),
        QuickDashModule("quickdash-sports", "QuickDASH Sports/Performing Arts module", "sports/performing arts"),
        KoosJr(), HoosJr(), Psfs(), Nprs(),
    ];

    private static readonly Dictionary<string, Instrument> ByCode = All.ToDictionary(i => i.Code, StringComparer.OrdinalIgnoreCase);

    public static Instrument? Find(string? code) => code is null ? null : ByCode.GetValueOrDefault(code.Trim());

    /// <summary>The instrument of a code, or a validation error on <paramref name="field"/> listing the codes.</summary>
    public static Instrument Get(string? code, string field = "instrument") =>
        Find(code) ?? throw new ValidationException(field,
            $"Unknown instrument '{code}'; use one of {string.Join(", ", All.Select(i => i.Code))}.");

    // LEFS: Binkley JM, Stratford PW, Lott SA, Riddle DL. The Lower Extremity Functional Scale (LEFS).
    // Phys Ther 1999;79(4):371–383. 20 items 0–4, score = sum (0–80), higher = better; MCID 9 points.
    // The authors define no missing-item rule. Our choice: up to 4 blanks (20%) are prorated
    // (sum × 20 / answered, the usual convention for summed scales); with 5 or more the form is not scorable.
    private static Instrument Lefs() => new()
    {
        Code = "lefs",
        Name = "Lower Extremity Functional Scale (LEFS)",
        MinItems = 20, MaxItems = 20, MinAnswer = 0, MaxAnswer = 4,
        AnswerScale = "0 = extreme difficulty or unable … 4 = no difficulty",
        ScoreMin = 0, ScoreMax = 80, ScoreUnit = "points",
        ScoringRule = "Sum of the 20 items (0–80).",
        MissingItemRule = "Not defined by the authors; Rapport prorates up to 4 missing items (sum × 20 / answered) and does not score a form with 5 or more missing.",
        Direction = ScoreDirection.HigherIsBetter,
        Mcid = 9, McidSource = "Binkley 1999: MCID 9 points (MDC 9, 90% CI).",
        Citation = "Binkley JM et al. Phys Ther 1999;79(4):371–383.",
        ItemLabels = Numbered("Activity", 20),
        Rule = answers =>
        {
            var (sum, answered) = SumOf(answers);
            return answers.Count - answered > 4
                ? RuleResult.NotScorable(sum, $"{answers.Count - answered} of 20 items are missing; at most 4 may be.")
                : RuleResult.Scored(sum, sum * 20.0 / answered);
        },
    };

    // Oswestry Disability Index v2.1a: Fairbank JC, Pynsent PB. The Oswestry Disability Index.
    // Spine 2000;25(22):2940–2952. Score = total / (5 × sections answered) × 100 (%); each unanswered
    // section lowers the denominator by 5 (scoring sheet: 16/50 = 32%; one section missing: 16/45 = 35.6%).
    // Most that may be missing is not fixed by the sheet; our choice: up to 2 of 10 sections, as with the NDI.
    // MIC 10 points (Ostelo RW et al. Spine 2008;33(1):90–94).
    private static Instrument Odi() => new()
    {
        Code = "odi",
        Name = "Oswestry Disability Index 2.1a (ODI)",
        MinItems = 10, MaxItems = 10, MinAnswer = 0, MaxAnswer = 5,
        AnswerScale = "0 = first statement (least disability) … 5 = last statement (most)",
        ScoreMin = 0, ScoreMax = 100, ScoreUnit = "%",
        ScoringRule = "Total / (5 × sections answered) × 100.",
        MissingItemRule = "Each unanswered section lowers the denominator by 5; Rapport scores a form with at most 2 of 10 sections missing.",
        Direction = ScoreDirection.HigherIsWorse,
        Mcid = 10, McidSource = "Ostelo 2008: 10 points (or 30% of baseline).",
        Loinc = "97908-8",
        Citation = "Fairbank JC, Pynsent PB. Spine 2000;25(22):2940–2952.",
        ItemLabels = ["Pain intensity", "Personal care", "Lifting", "Walking", "Sitting", "Standing", "Sleeping", "Sex life", "Social life", "Travelling"],
        Rule = answers => PercentOfAnswered(answers, itemMax: 5, scale: 100, maxMissing: 2),
    };

    // Neck Disability Index: Vernon H, Mior S. J Manipulative Physiol Ther 1991;14(7):409–415.
    // 10 items 0–5, raw 0–50 (percent = raw × 2). No missing-item rule in the original; we borrow
    // the ODI's (denominator lowered by 5 per missing item, at most 2 missing) and report points on
    // the 0–50 scale, the scale of the MCID 7.5 points (Young BA et al. Spine J 2009;9(10):802–808).
    private static Instrument Ndi() => new()
    {
        Code = "ndi",
        Name = "Neck Disability Index (NDI)",
        MinItems = 10, MaxItems = 10, MinAnswer = 0, MaxAnswer = 5,
        AnswerScale = "0 = no disability … 5 = complete disability",
        ScoreMin = 0, ScoreMax = 50, ScoreUnit = "points (0–50)",
        ScoringRule = "Sum of the 10 items (0–50); with missing items, total / (5 × answered) × 50.",
        MissingItemRule = "The ODI rule: each missing item lowers the denominator by 5; at most 2 of 10 missing.",
        Direction = ScoreDirection.HigherIsWorse,
        Mcid = 7.5, McidSource = "Young 2009: MCID 7.5 points on the 0–50 scale (MDC 10.2).",
        Loinc = "82226-2",
        Citation = "Vernon H, Mior S. J Manipulative Physiol Ther 1991;14(7):409–415.",
        ItemLabels = ["Pain intensity", "Personal care", "Lifting", "Reading", "Headaches", "Concentration", "Work", "Driving", "Sleeping", "Recreation"],
        Rule = answers => PercentOfAnswered(answers, itemMax: 5, scale: 50, maxMissing: 2),
    };

    // QuickDASH: Institute for Work & Health (Beaton DE et al. J Bone Joint Surg Am 2005;87(5):1038–1046).
    // 11 items 1–5; score = ((sum / n) − 1) × 25, n = items answered; not scorable with more than 1 missing.
    // MCID about 14 points (Sorensen AA et al. J Hand Ther 2013;26(3):243–249). No LOINC code exists.
    private static Instrument QuickDash() => new()
    {
        Code = "quickdash",
        Name = "QuickDASH",
        MinItems = 11, MaxItems = 11, MinAnswer = 1, MaxAnswer = 5,
        AnswerScale = "1 = no difficulty … 5 = unable",
        ScoreMin = 0, ScoreMax = 100, ScoreUnit = "points",
        ScoringRule = "((sum / n) − 1) × 25, n = items answered.",
        MissingItemRule = "Not scorable when more than 1 of the 11 items is missing.",
        Direction = ScoreDirection.HigherIsWorse,
        Mcid = 14, McidSource = "Sorensen 2013: about 14 points (10.8–13.6 for shoulder, Rysstad 2020).",
        Citation = "Institute for Work & Health; Beaton DE et al. J Bone Joint Surg Am 2005;87(5):1038–1046.",
        ItemLabels = ["Open a jar", "Heavy household chores", "Carry a shopping bag", "Wash your back", "Use a knife", "Recreational activities",
            "Social activities", "Work or daily activities", "Arm pain", "Tingling", "Sleep"],
        Rule = answers => QuickDashRule(answers, maxMissing: 1),
    };

    // The optional modules of the QuickDASH (Institute for Work & Health): 4 items each, scored
    // separately with the same formula, and only when all 4 are answered. No MCID is established for them.
    private static Instrument QuickDashModule(string code, string name, string what) => new()
    {
        Code = code,
        Name = name,
        MinItems = 4, MaxItems = 4, MinAnswer = 1, MaxAnswer = 5,
        AnswerScale = "1 = no difficulty … 5 = unable",
        ScoreMin = 0, ScoreMax = 100, ScoreUnit = "points",
        ScoringRule = "((sum / 4) − 1) × 25.",
        MissingItemRule = "All 4 items are required.",
        Direction = ScoreDirection.HigherIsWorse,
        Mcid = null, McidSource = $"No MCID is established for the {what} module.",
        Citation = "Institute for Work & Health, QuickDASH optional modules.",
        ItemLabels = Numbered(what == "work" ? "Work item" : "Sports/arts item", 4),
        Rule = answers => QuickDashRule(answers, maxMissing: 0),
    };

    // KOOS JR (Lyman S et al. Clin Orthop Relat Res 2016;474(6):1472–1482; HSS scoring instructions):
    // 7 items 0–4, raw sum 0–28 converted by the HSS table to 0–100 (100 = perfect knee health).
    // A non-linear lookup, not a percentage. All 7 items required. MCID 14 (anchor-based).
    // LOINC: panel 82324-5, total 82332-8.
    private static Instrument KoosJr() => new()
    {
        Code = "koos-jr",
        Name = "KOOS JR (knee)",
        MinItems = 7, MaxItems = 7, MinAnswer = 0, MaxAnswer = 4,
        AnswerScale = "0 = none … 4 = extreme",
        ScoreMin = 0, ScoreMax = 100, ScoreUnit = "interval score",
        ScoringRule = "Raw sum (0–28) converted by the HSS table to an interval score 0–100.",
        MissingItemRule = "All 7 items are required.",
        Direction = ScoreDirection.HigherIsBetter,
        Mcid = 14, McidSource = "Anchor-based MCID 14 (CMS substantial clinical benefit 20).",
        Loinc = "82332-8",
        Citation = "Lyman S et al. Clin Orthop Relat Res 2016;474(6):1472–1482; HSS KOOS JR scoring instructions.",
        ItemLabels = ["Stiffness after first wakening", "Twisting/pivoting", "Straightening knee fully", "Going up or down stairs",
            "Standing upright", "Rising from sitting", "Bending to floor"],
        Rule = answers => TableRule(answers, JrTables.Koos),
    };

    // HOOS JR (Lyman S et al. J Arthroplasty 2016;31(6):1172–1178; HSS scoring instructions):
    // 6 items 0–4, raw sum 0–24 converted by the HSS table to 0–100. All 6 required.
    // MCID about 8 (distribution-based). LOINC: panel 82316-1, total 82323-7.
    private static Instrument HoosJr() => new()
    {
        Code = "hoos-jr",
        Name = "HOOS JR (hip)",
        MinItems = 6, MaxItems = 6, MinAnswer = 0, MaxAnswer = 4,
        AnswerScale = "0 = none … 4 = extreme",
        ScoreMin = 0, ScoreMax = 100, ScoreUnit = "interval score",
        ScoringRule = "Raw sum (0–24) converted by the HSS table to an interval score 0–100.",
        MissingItemRule = "All 6 items are required.",
        Direction = ScoreDirection.HigherIsBetter,
        Mcid = 8, McidSource = "Distribution-based MCID about 8 (CMS substantial clinical benefit 22).",
        Loinc = "82323-7",
        Citation = "Lyman S et al. J Arthroplasty 2016;31(6):1172–1178; HSS HOOS JR scoring instructions.",
        ItemLabels = ["Going up or down stairs", "Walking on uneven surface", "Rising from sitting", "Bending to floor",
            "Lying in bed", "Sitting"],
        Rule = answers => TableRule(answers, JrTables.Hoos),
    };

    // PSFS: Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual
    // patients: a report of a patient specific measure. Physiother Can 1995;47(4):258–263. The patient
    // names up to five activities they find hard (forms often suggest three, but one is a complete
    // form) and rates each 0 (unable) … 10 (prior level); score = mean of the rated activities; MCID 2 points.
    // "Score what is rated": 1 to 5 rated activities are scorable, none is not, a sixth is refused.
    private static Instrument Psfs() => new()
    {
        Code = "psfs",
        Name = "Patient-Specific Functional Scale (PSFS)",
        MinItems = 1, MaxItems = 5, MinAnswer = 0, MaxAnswer = 10,
        AnswerScale = "0 = unable to perform … 10 = able at prior level",
        ScoreMin = 0, ScoreMax = 10, ScoreUnit = "points",
        ScoringRule = "Mean of the rated activities.",
        MissingItemRule = "One to five activities; scores the mean of those rated, not scorable when none is rated. Re-rate the same activities at follow-up.",
        Direction = ScoreDirection.HigherIsBetter,
        Mcid = 2, McidSource = "Stratford 1995: 2 points.",
        Citation = "Stratford P et al. Physiother Can 1995;47:258–263.",
        ItemLabels = Numbered("Activity", 5),
        PatientNamesItems = true,
        Rule = answers =>
        {
            var (sum, answered) = SumOf(answers);
            return answered == 0 ? RuleResult.NotScorable(null, "No activity is rated.") : RuleResult.Scored(sum, sum / answered);
        },
    };

    // NPRS: 11-point numeric pain rating, 0 (no pain) … 10 (worst imaginable); the score is the rating.
    // MCID 2 points or 30% (Ostelo RW et al. Spine 2008;33(1):90–94). No LOINC code is confirmed for
    // this exact form (PROMIS pain intensity NRS 72514-3 is a different item), so none is given.
    private static Instrument Nprs() => new()
    {
        Code = "nprs",
        Name = "Numeric Pain Rating Scale (NPRS)",
        MinItems = 1, MaxItems = 1, MinAnswer = 0, MaxAnswer = 10,
        AnswerScale = "0 = no pain … 10 = worst pain imaginable",
        ScoreMin = 0, ScoreMax = 10, ScoreUnit = "points",
        ScoringRule = "The rating.",
        MissingItemRule = "The one item is required.",
        Direction = ScoreDirection.HigherIsWorse,
        Mcid = 2, McidSource = "Ostelo 2008: 2 points (or 30%).",
        Citation = "Ostelo RW et al. Spine 2008;33(1):90–94.",
        ItemLabels = ["Pain rating"],
        Rule = answers => answers[0] is { } rating
            ? RuleResult.Scored(rating, rating)
            : RuleResult.NotScorable(null, "The pain rating is missing."),
    };

    private static (double Sum, int Answered) SumOf(IReadOnlyList<int?> answers) =>
        (answers.Sum(a => a ?? 0), answers.Count(a => a is not null));

    private static RuleResult PercentOfAnswered(IReadOnlyList<int?> answers, int itemMax, double scale, int maxMissing)
    {
        var (sum, answered) = SumOf(answers);
        var missing = answers.Count - answered;
        return missing > maxMissing
            ? RuleResult.NotScorable(sum, $"{missing} of {answers.Count} items are missing; at most {maxMissing} may be.")
            : RuleResult.Scored(sum, sum / (itemMax * answered) * scale);
    }

    private static RuleResult QuickDashRule(IReadOnlyList<int?> answers, int maxMissing)
    {
        var (sum, answered) = SumOf(answers);
        var missing = answers.Count - answered;
        return missing > maxMissing
            ? RuleResult.NotScorable(sum, maxMissing == 0 ? "All items are required." : $"{missing} of {answers.Count} items are missing; at most {maxMissing} may be.")
            : RuleResult.Scored(sum, (sum / answered - 1) * 25);
    }

    private static RuleResult TableRule(IReadOnlyList<int?> answers, IReadOnlyList<double> table)
    {
        var (sum, answered) = SumOf(answers);
        return answered < answers.Count
            ? RuleResult.NotScorable(sum, $"All {answers.Count} items are required; {answers.Count - answered} missing.")
            : RuleResult.Scored(sum, table[(int)sum]);
    }

    private static string[] Numbered(string label, int count) =>
        [.. Enumerable.Range(1, count).Select(i => $"{label} {i}")];

    /// <summary>The HSS raw-sum → interval tables, read once from the embedded CSV (provenance in NOTICE.md beside it).</summary>
    internal static class JrTables
    {
        public static readonly IReadOnlyList<double> Koos;
        public static readonly IReadOnlyList<double> Hoos;

        static JrTables()
        {
            using var stream = typeof(InstrumentCatalog).Assembly.GetManifestResourceStream("koos_jr_hoos_jr_raw_to_interval.csv")!;
            using var reader = new StreamReader(stream);
            var koos = new List<double>();
            var hoos = new List<double>();
            reader.ReadLine();
            while (reader.ReadLine() is { Length: > 0 } line)
            {
                var cells = line.Split(',');
                if (int.Parse(cells[0], CultureInfo.InvariantCulture) != koos.Count)
                {
                    throw new InvalidOperationException("The KOOS JR/HOOS JR table must list raw sums 0, 1, 2, … in order.");
                }
                koos.Add(double.Parse(cells[1], CultureInfo.InvariantCulture));
                if (cells[2].Length > 0)
                {
                    hoos.Add(double.Parse(cells[2], CultureInfo.InvariantCulture));
                }
            }
            Koos = koos;
            Hoos = hoos;
        }
    }
}
