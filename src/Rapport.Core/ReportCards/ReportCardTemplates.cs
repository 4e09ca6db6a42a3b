using Rapport.Documents;

namespace Rapport.ReportCards;

/// <summary>The report card's editable intro: a template kind with its default text and placeholders.</summary>
public static class ReportCardTemplates
{
    public const string IntroKind = "report-card-intro";

    public const string DefaultIntro = """
        Dear {{physician.salutation}},

        Thank you for trusting **{{practice.name}}** with your patients. This report card shows how the
        patients you referred to us between {{period.from}} and {{period.to}} did: how quickly we saw
        them, how much they improved on standard outcome measures, and what they told us about their
        care, each beside our practice-wide figures.

        We are glad to discuss any of your patients, or these figures, at any time.
        """;

    public static readonly DocumentTemplateKind Intro = new(IntroKind, "Report card introduction", DefaultIntro,
        new Dictionary<string, string>
        {
            ["physician.name"] = "The physician's full name with credential, e.g. Gregory House, MD",
            ["physician.salutation"] = "\"Dr. House\" for doctors, else the full name",
            ["practice.name"] = "Your practice's name",
            ["period.from"] = "First day of the period, e.g. 1 December 2025",
            ["period.to"] = "Last day of the period",
            ["referrals.count"] = "Referrals received from the physician in the period",
            ["minimum"] = "The smallest group the card shows figures for (default 5)",
        });
}
